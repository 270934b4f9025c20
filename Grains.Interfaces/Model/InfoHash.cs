using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// A torrent's 20-byte SHA-1 info hash (BEP 3), held as three big-endian words so that
/// equality is three compares and ordering matches the byte order of the hash.
/// </summary>
[GenerateSerializer, Immutable]
public readonly struct InfoHash : IEquatable<InfoHash>, IComparable<InfoHash>
{
    public const int Length = 20;

    [Id(0)] private readonly ulong _a;
    [Id(1)] private readonly ulong _b;
    [Id(2)] private readonly uint _c;

    private InfoHash(ulong a, ulong b, uint c) => (_a, _b, _c) = (a, b, c);

    /// <summary>Reads exactly 20 bytes; the caller checks the length.</summary>
    public static InfoHash Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _c);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Lower-case hex, the form used for grain keys, the admin API and the database.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool TryParseHex(ReadOnlySpan<char> hex, out InfoHash hash)
    {
        hash = default;
        if (hex.Length != Length * 2)
            return false;
        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length)
            return false;
        hash = Read(bytes);
        return true;
    }

    public static InfoHash ParseHex(string hex) =>
        TryParseHex(hex, out var hash) ? hash : throw new FormatException($"'{hex}' is not a 40-digit hex info hash");

    /// <summary>Spreads hashes over a fixed number of buckets (sweep partitions).</summary>
    public int Bucket(int buckets) => (int)(_c % (uint)buckets);

    public bool Equals(InfoHash other) => _a == other._a && _b == other._b && _c == other._c;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is InfoHash other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);
    public int CompareTo(InfoHash other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0) return c;
        c = _b.CompareTo(other._b);
        return c != 0 ? c : _c.CompareTo(other._c);
    }
    public override string ToString() => ToHex();

    public static bool operator ==(InfoHash left, InfoHash right) => left.Equals(right);
    public static bool operator !=(InfoHash left, InfoHash right) => !left.Equals(right);
    public static bool operator <(InfoHash left, InfoHash right) => left.CompareTo(right) < 0;
    public static bool operator >(InfoHash left, InfoHash right) => left.CompareTo(right) > 0;
    public static bool operator <=(InfoHash left, InfoHash right) => left.CompareTo(right) <= 0;
    public static bool operator >=(InfoHash left, InfoHash right) => left.CompareTo(right) >= 0;
}
