using System.Buffers.Binary;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;
using OrleansTracker.Tests.Support;
using Xunit;
using TrackerSwarm = OrleansTracker.Grains.Swarm.Swarm;

namespace OrleansTracker.Tests.Swarm;

/// <summary>
/// Readable fixtures: peer n has id "-SW0001-" followed by n, IPv4 address 10.0.x.y and IPv6
/// address 2001:db8::n, port 6881 unless told otherwise.
/// </summary>
internal static class SwarmTestKit
{
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromMinutes(30);
    public const int DefaultNumWant = 50;
    public const int MaxNumWant = 74;
    public const ushort Port = 6881;

    public static TrackerSwarm NewSwarm(
        ManualClock clock,
        int seed = 1,
        long completed = 0,
        int defaultNumWant = DefaultNumWant,
        int maxNumWant = MaxNumWant,
        int maxPeers = int.MaxValue) =>
        new(new SwarmOptions(PeerTimeout, defaultNumWant, maxNumWant, maxPeers), clock, completed, new Random(seed));

    public static PeerId Id(int n)
    {
        Span<byte> bytes = stackalloc byte[PeerId.Length];
        "-SW0001-"u8.CopyTo(bytes);
        bytes[8..].Fill((byte)'0');
        BinaryPrimitives.WriteInt32BigEndian(bytes[16..], n);
        return PeerId.Read(bytes);
    }

    public static PeerEndpoint V4(int n, ushort port = Port) => PeerEndpoint.FromIPv4(0x0A00_0000u + (uint)n, port);

    public static PeerEndpoint V6(int n, ushort port = Port)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = 0xb8;
        BinaryPrimitives.WriteInt32BigEndian(bytes[12..], n);
        return PeerEndpoint.FromAddressBytes(bytes, port);
    }

    public static AnnounceRequest Request(
        int peer,
        PeerEndpoint? endpoint = null,
        long left = 1000,
        AnnounceEvent announceEvent = AnnounceEvent.None,
        int numWant = -1,
        PeerFamilies families = PeerFamilies.Both,
        bool includePeerIds = false,
        long uploaded = 0,
        long downloaded = 0) =>
        new(Id(peer), endpoint ?? V4(peer), uploaded, downloaded, left, announceEvent, numWant, families, includePeerIds);

    public static AnnounceResult Announce(
        this TrackerSwarm swarm,
        int peer,
        PeerEndpoint? endpoint = null,
        long left = 1000,
        AnnounceEvent announceEvent = AnnounceEvent.None,
        int numWant = -1,
        PeerFamilies families = PeerFamilies.Both,
        bool includePeerIds = false) =>
        swarm.Announce(Request(peer, endpoint, left, announceEvent, numWant, families, includePeerIds));

    /// <summary>Adds peers first..first+count-1 (IPv4 unless <paramref name="ipv6"/>).</summary>
    public static void AddPeers(this TrackerSwarm swarm, int first, int count, bool ipv6 = false, long left = 1000)
    {
        for (var n = first; n < first + count; n++)
            swarm.Announce(n, ipv6 ? V6(n) : V4(n), left: left, numWant: 0);
    }

    public static List<PeerEndpoint> Peers4(this AnnounceResult result) => Split(result.Peers4, PeerEndpoint.CompactIPv4Length);

    public static List<PeerEndpoint> Peers6(this AnnounceResult result) => Split(result.Peers6, PeerEndpoint.CompactIPv6Length);

    public static List<PeerEndpoint> AllPeers(this AnnounceResult result) => [.. result.Peers4(), .. result.Peers6()];

    public static List<PeerId> PeerIds(this AnnounceResult result)
    {
        var ids = new List<PeerId>();
        for (var at = 0; at < result.PeerIds.Length; at += PeerId.Length)
            ids.Add(PeerId.Read(result.PeerIds.AsSpan(at, PeerId.Length)));
        return ids;
    }

    private static List<PeerEndpoint> Split(byte[] compact, int size)
    {
        Assert.Equal(0, compact.Length % size);
        var peers = new List<PeerEndpoint>();
        for (var at = 0; at < compact.Length; at += size)
            peers.Add(PeerEndpoint.ReadCompact(compact.AsSpan(at, size)));
        return peers;
    }
}
