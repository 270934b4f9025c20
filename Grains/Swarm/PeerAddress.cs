using System.Buffers.Binary;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// The address half of a stored peer, one implementation per family, so that each family's peers
/// sit in an array of exactly-sized structs (no 16-byte slot wasted on every IPv4 peer).
/// </summary>
internal interface IPeerAddress<TSelf> where TSelf : struct, IPeerAddress<TSelf>
{
    /// <summary>0 for IPv4, 1 for IPv6: the low bit of a peer reference in the swarm's index.</summary>
    static abstract int Family { get; }

    /// <summary>Bytes per peer in the compact answer (BEP 23: 6, BEP 7: 18).</summary>
    static abstract int CompactLength { get; }

    /// <summary>The address of <paramref name="endpoint"/>, which must be of this family.</summary>
    static abstract TSelf From(PeerEndpoint endpoint);

    bool SameAs(in TSelf other);

    /// <summary>What peers_per_address_per_swarm counts by: the IPv4 address, or the IPv6 /64 prefix.</summary>
    ulong LimitKey { get; }

    PeerEndpoint ToEndpoint(ushort port);

    /// <summary>Writes the compact form: address bytes, then the big-endian port.</summary>
    void WriteCompact(Span<byte> destination, ushort port);
}

internal readonly struct IPv4Address : IPeerAddress<IPv4Address>
{
    private readonly uint _address;

    private IPv4Address(uint address) => _address = address;

    public static int Family => 0;
    public static int CompactLength => PeerEndpoint.CompactIPv4Length;

    public static IPv4Address From(PeerEndpoint endpoint)
    {
        Span<byte> bytes = stackalloc byte[16];
        endpoint.WriteAddress(bytes);
        return new(BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    public bool SameAs(in IPv4Address other) => _address == other._address;

    public ulong LimitKey => _address;

    public PeerEndpoint ToEndpoint(ushort port) => PeerEndpoint.FromIPv4(_address, port);

    public void WriteCompact(Span<byte> destination, ushort port)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, _address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], port);
    }
}

internal readonly struct IPv6Address : IPeerAddress<IPv6Address>
{
    private readonly ulong _hi;
    private readonly ulong _lo;

    private IPv6Address(ulong hi, ulong lo) => (_hi, _lo) = (hi, lo);

    public static int Family => 1;
    public static int CompactLength => PeerEndpoint.CompactIPv6Length;

    public static IPv6Address From(PeerEndpoint endpoint)
    {
        Span<byte> bytes = stackalloc byte[16];
        endpoint.WriteAddress(bytes);
        return new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public bool SameAs(in IPv6Address other) => _hi == other._hi && _lo == other._lo;

    public ulong LimitKey => _hi;

    public PeerEndpoint ToEndpoint(ushort port)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _lo);
        return PeerEndpoint.FromAddressBytes(bytes, port);
    }

    public void WriteCompact(Span<byte> destination, ushort port)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _lo);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], port);
    }
}
