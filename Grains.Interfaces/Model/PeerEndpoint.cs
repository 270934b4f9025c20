using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// A peer's address and announced port. IPv4 and IPv6 are kept apart: an IPv4-mapped IPv6 address
/// (what a dual-stack socket reports for an IPv4 client) is always folded back to IPv4, so the same
/// client never appears twice and never lands in the wrong compact list (BEP 23 / BEP 7).
/// </summary>
[GenerateSerializer, Immutable]
public readonly struct PeerEndpoint : IEquatable<PeerEndpoint>
{
    /// <summary>Compact IPv4 peer: 4 address bytes + 2 port bytes (BEP 23).</summary>
    public const int CompactIPv4Length = 6;
    /// <summary>Compact IPv6 peer: 16 address bytes + 2 port bytes (BEP 7).</summary>
    public const int CompactIPv6Length = 18;

    // IPv4: the address is in the low 32 bits of _lo and _hi is 0.
    [Id(0)] private readonly ulong _hi;
    [Id(1)] private readonly ulong _lo;
    [Id(2)] public ushort Port { get; }
    [Id(3)] public bool IsIPv4 { get; }

    private PeerEndpoint(ulong hi, ulong lo, ushort port, bool isIPv4) => (_hi, _lo, Port, IsIPv4) = (hi, lo, port, isIPv4);

    /// <summary>An IPv4 endpoint from the address as a big-endian 32-bit value (the BEP 15 field).</summary>
    public static PeerEndpoint FromIPv4(uint address, ushort port) => new(0, address, port, true);

    /// <summary>An endpoint from 4 or 16 address bytes; IPv4-mapped IPv6 becomes IPv4.</summary>
    public static PeerEndpoint FromAddressBytes(ReadOnlySpan<byte> address, ushort port)
    {
        if (address.Length == 4)
            return FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(address), port);
        if (address.Length != 16)
            throw new ArgumentException("an IP address has 4 or 16 bytes", nameof(address));
        var hi = BinaryPrimitives.ReadUInt64BigEndian(address);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(address[8..]);
        if (hi == 0 && (lo >> 32) == 0xFFFF)
            return FromIPv4((uint)lo, port);
        return new(hi, lo, port, false);
    }

    public static PeerEndpoint FromIPAddress(IPAddress address, ushort port)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return FromAddressBytes(bytes[..written], port);
    }

    public PeerEndpoint WithPort(ushort port) => new(_hi, _lo, port, IsIPv4);

    public int CompactLength => IsIPv4 ? CompactIPv4Length : CompactIPv6Length;

    public bool IsLoopback => IsIPv4 ? (_lo >> 24) == 127 : _hi == 0 && _lo == 1;

    /// <summary>Writes the address bytes (4 or 16) and returns how many were written.</summary>
    public int WriteAddress(Span<byte> destination)
    {
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_lo);
            return 4;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _lo);
        return 16;
    }

    /// <summary>Writes the compact form (address then big-endian port) and returns its length.</summary>
    public int WriteCompact(Span<byte> destination)
    {
        var n = WriteAddress(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[n..], Port);
        return n + 2;
    }

    public static PeerEndpoint ReadCompact(ReadOnlySpan<byte> compact) => compact.Length switch
    {
        CompactIPv4Length => FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(compact), BinaryPrimitives.ReadUInt16BigEndian(compact[4..])),
        CompactIPv6Length => FromAddressBytes(compact[..16], BinaryPrimitives.ReadUInt16BigEndian(compact[16..])),
        _ => throw new ArgumentException("a compact peer has 6 or 18 bytes", nameof(compact)),
    };

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        return new IPAddress(bytes[..WriteAddress(bytes)]);
    }

    public bool Equals(PeerEndpoint other) => _hi == other._hi && _lo == other._lo && Port == other.Port && IsIPv4 == other.IsIPv4;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is PeerEndpoint other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_hi, _lo, Port);
    public override string ToString() => new IPEndPoint(ToIPAddress(), Port).ToString();
    public static bool operator ==(PeerEndpoint left, PeerEndpoint right) => left.Equals(right);
    public static bool operator !=(PeerEndpoint left, PeerEndpoint right) => !left.Equals(right);
}
