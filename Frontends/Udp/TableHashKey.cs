using System.Buffers.Binary;
using System.Security.Cryptography;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// A random SipHash key, one per table and process, for the fixed-size tables indexed by a client's
/// address (abuse throttle, per-address announce rate, keyed UDP senders): nobody outside knows
/// the key, so nobody can aim collisions at an innocent address's slot.
/// </summary>
public readonly struct TableHashKey
{
    private readonly ulong _k0;
    private readonly ulong _k1;

    private TableHashKey(ulong k0, ulong k1) => (_k0, _k1) = (k0, k1);

    public static TableHashKey Random()
    {
        Span<byte> key = stackalloc byte[16];
        RandomNumberGenerator.Fill(key);
        return new TableHashKey(BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]));
    }

    public ulong Hash(ReadOnlySpan<byte> data) => SipHash.Hash24(_k0, _k1, data);

    /// <summary>
    /// The hash of the host a per-address limit counts: an IPv4 address whole, an IPv6 address by its
    /// /64 prefix, which one host usually holds whole (counting single addresses would let it rotate
    /// through 2^64 of them). The port is ignored, so changing ports does not help.
    /// </summary>
    public ulong HashHost(PeerEndpoint client)
    {
        Span<byte> address = stackalloc byte[16];
        var length = client.WriteAddress(address) == 4 ? 4 : 8;
        return Hash(address[..length]);
    }
}
