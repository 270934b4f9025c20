using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// Twenty bytes held as three big-endian words: equality is three compares and ordering matches
/// the byte order. The storage behind <see cref="InfoHash"/> and <see cref="PeerId"/>.
/// </summary>
[GenerateSerializer, Immutable]
public readonly struct Bytes20 : IEquatable<Bytes20>, IComparable<Bytes20>
{
    public const int Length = 20;

    [Id(0)] private readonly ulong _a;
    [Id(1)] private readonly ulong _b;
    [Id(2)] private readonly uint _c;

    private Bytes20(ulong a, ulong b, uint c) => (_a, _b, _c) = (a, b, c);

    /// <summary>Reads exactly 20 bytes; the caller checks the length.</summary>
    public static Bytes20 Read(ReadOnlySpan<byte> bytes) => new(
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

    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool TryParseHex(ReadOnlySpan<char> hex, out Bytes20 value)
    {
        value = default;
        if (hex.Length != Length * 2)
            return false;
        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != OperationStatus.Done || written != Length)
            return false;
        value = Read(bytes);
        return true;
    }

    /// <summary>The last word, for spreading values over buckets.</summary>
    public uint LowWord => _c;

    public bool Equals(Bytes20 other) => _a == other._a && _b == other._b && _c == other._c;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Bytes20 other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);
    public int CompareTo(Bytes20 other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0) return c;
        c = _b.CompareTo(other._b);
        return c != 0 ? c : _c.CompareTo(other._c);
    }
    public override string ToString() => ToHex();

    public static bool operator ==(Bytes20 left, Bytes20 right) => left.Equals(right);
    public static bool operator !=(Bytes20 left, Bytes20 right) => !left.Equals(right);
    public static bool operator <(Bytes20 left, Bytes20 right) => left.CompareTo(right) < 0;
    public static bool operator >(Bytes20 left, Bytes20 right) => left.CompareTo(right) > 0;
    public static bool operator <=(Bytes20 left, Bytes20 right) => left.CompareTo(right) <= 0;
    public static bool operator >=(Bytes20 left, Bytes20 right) => left.CompareTo(right) >= 0;
}
