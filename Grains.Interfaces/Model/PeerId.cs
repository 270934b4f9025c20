using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>A peer's self-chosen 20-byte id (BEP 3), as three big-endian words.</summary>
[GenerateSerializer, Immutable]
public readonly struct PeerId : IEquatable<PeerId>
{
    public const int Length = 20;

    [Id(0)] private readonly ulong _a;
    [Id(1)] private readonly ulong _b;
    [Id(2)] private readonly uint _c;

    private PeerId(ulong a, ulong b, uint c) => (_a, _b, _c) = (a, b, c);

    /// <summary>Reads exactly 20 bytes; the caller checks the length.</summary>
    public static PeerId Read(ReadOnlySpan<byte> bytes) => new(
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

    public bool Equals(PeerId other) => _a == other._a && _b == other._b && _c == other._c;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is PeerId other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);
    public override string ToString() => ToHex();
    public static bool operator ==(PeerId left, PeerId right) => left.Equals(right);
    public static bool operator !=(PeerId left, PeerId right) => !left.Equals(right);
}
