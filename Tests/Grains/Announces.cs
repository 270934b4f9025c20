using System.Net;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

/// <summary>Readable announce requests: fixture addresses like 105.105.105.105:0x7070 read "iiiipp".</summary>
internal static class Announces
{
    public static InfoHash NewHash() => InfoHash.Read(TestPeers.NewInfoHash());

    /// <summary>Another new hash in the same sweep partition as <paramref name="hash"/>.</summary>
    public static InfoHash SameBucket(InfoHash hash)
    {
        for (var i = 0; i < 10_000; i++)
        {
            var other = NewHash();
            if (SweepPartitions.For(other) == SweepPartitions.For(hash) && other != hash)
                return other;
        }
        throw new InvalidOperationException("no hash in the same partition");
    }

    public static PeerId NewPeer() => PeerId.Read(TestPeers.NewPeerId());

    public static PeerEndpoint At(string address, ushort port) => PeerEndpoint.FromIPAddress(IPAddress.Parse(address), port);

    public static AnnounceRequest Request(
        PeerId peer,
        PeerEndpoint endpoint,
        AnnounceEvent announceEvent = AnnounceEvent.None,
        long left = 1000,
        int numWant = -1,
        PeerFamilies families = PeerFamilies.Both) =>
        new(peer, endpoint, Uploaded: 0, Downloaded: 0, left, announceEvent, numWant, families, IncludePeerIds: false);

    public static byte[] Compact(PeerEndpoint endpoint)
    {
        var bytes = new byte[endpoint.CompactLength];
        endpoint.WriteCompact(bytes);
        return bytes;
    }
}
