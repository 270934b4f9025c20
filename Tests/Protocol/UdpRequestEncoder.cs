using System.Buffers.Binary;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// The client side of BEP 15, written independently of the parser from the BEP's tables, so that
/// round trips compare two readings of the spec; also decodes responses for writer round trips.
/// </summary>
internal static class UdpRequestEncoder
{
    public static byte[] Connect(int transactionId)
    {
        var p = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(p, 0x41727101980);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(8), 0);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(12), transactionId);
        return p;
    }

    public static byte[] Announce(UdpRequest r, ReadOnlySpan<byte> options = default)
    {
        var p = new byte[98 + options.Length];
        BinaryPrimitives.WriteInt64BigEndian(p, r.ConnectionId);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(12), r.TransactionId);
        r.InfoHash.WriteTo(p.AsSpan(16));
        r.PeerId.WriteTo(p.AsSpan(36));
        BinaryPrimitives.WriteInt64BigEndian(p.AsSpan(56), r.Downloaded);
        BinaryPrimitives.WriteInt64BigEndian(p.AsSpan(64), r.Left);
        BinaryPrimitives.WriteInt64BigEndian(p.AsSpan(72), r.Uploaded);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(80), (int)r.Event);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(84), r.IPv4Address);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(88), r.Key);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(92), r.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(96), r.Port);
        options.CopyTo(p.AsSpan(98));
        return p;
    }

    public static byte[] Scrape(long connectionId, int transactionId, IReadOnlyList<InfoHash> hashes)
    {
        var p = new byte[16 + (20 * hashes.Count)];
        BinaryPrimitives.WriteInt64BigEndian(p, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(8), 2);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(12), transactionId);
        for (var i = 0; i < hashes.Count; i++)
            hashes[i].WriteTo(p.AsSpan(16 + (20 * i)));
        return p;
    }

    public static InfoHash RandomHash(Random random)
    {
        Span<byte> b = stackalloc byte[20];
        random.NextBytes(b);
        return InfoHash.Read(b);
    }

    public static PeerId RandomPeerId(Random random)
    {
        Span<byte> b = stackalloc byte[20];
        random.NextBytes(b);
        return PeerId.Read(b);
    }
}
