using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>A torrent's 20-byte SHA-1 info hash (BEP 3); ordering matches the byte order.</summary>
[GenerateSerializer, Immutable]
public readonly struct InfoHash : IEquatable<InfoHash>, IComparable<InfoHash>
{
    public const int Length = Bytes20.Length;

    [Id(0)] private readonly Bytes20 _bytes;

    private InfoHash(Bytes20 bytes) => _bytes = bytes;

    /// <summary>Reads exactly 20 bytes; the caller checks the length.</summary>
    public static InfoHash Read(ReadOnlySpan<byte> bytes) => new(Bytes20.Read(bytes));

    public void WriteTo(Span<byte> destination) => _bytes.WriteTo(destination);

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>Lower-case hex, the form used for grain keys, the admin API and the database.</summary>
    public string ToHex() => _bytes.ToHex();

    public static bool TryParseHex(ReadOnlySpan<char> hex, out InfoHash hash)
    {
        var ok = Bytes20.TryParseHex(hex, out var bytes);
        hash = new InfoHash(bytes);
        return ok;
    }

    public static InfoHash ParseHex(string hex) =>
        TryParseHex(hex, out var hash) ? hash : throw new FormatException($"'{hex}' is not a 40-digit hex info hash");

    /// <summary>Spreads hashes over a fixed number of buckets (sweep partitions).</summary>
    public int Bucket(int buckets) => (int)(_bytes.LowWord % (uint)buckets);

    public bool Equals(InfoHash other) => _bytes == other._bytes;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is InfoHash other && Equals(other);
    public override int GetHashCode() => _bytes.GetHashCode();
    public int CompareTo(InfoHash other) => _bytes.CompareTo(other._bytes);
    public override string ToString() => ToHex();

    public static bool operator ==(InfoHash left, InfoHash right) => left.Equals(right);
    public static bool operator !=(InfoHash left, InfoHash right) => !left.Equals(right);
    public static bool operator <(InfoHash left, InfoHash right) => left.CompareTo(right) < 0;
    public static bool operator >(InfoHash left, InfoHash right) => left.CompareTo(right) > 0;
    public static bool operator <=(InfoHash left, InfoHash right) => left.CompareTo(right) <= 0;
    public static bool operator >=(InfoHash left, InfoHash right) => left.CompareTo(right) >= 0;
}
