using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>A peer's self-chosen 20-byte id (BEP 3).</summary>
[GenerateSerializer, Immutable]
public readonly struct PeerId : IEquatable<PeerId>
{
    public const int Length = Bytes20.Length;

    [Id(0)] private readonly Bytes20 _bytes;

    private PeerId(Bytes20 bytes) => _bytes = bytes;

    /// <summary>Reads exactly 20 bytes; the caller checks the length.</summary>
    public static PeerId Read(ReadOnlySpan<byte> bytes) => new(Bytes20.Read(bytes));

    public void WriteTo(Span<byte> destination) => _bytes.WriteTo(destination);

    public byte[] ToArray() => _bytes.ToArray();

    public string ToHex() => _bytes.ToHex();

    public bool Equals(PeerId other) => _bytes == other._bytes;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is PeerId other && Equals(other);
    public override int GetHashCode() => _bytes.GetHashCode();
    public override string ToString() => ToHex();
    public static bool operator ==(PeerId left, PeerId right) => left.Equals(right);
    public static bool operator !=(PeerId left, PeerId right) => !left.Equals(right);
}
