using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

public sealed class SwarmSamplingTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void every_peer_of_a_large_swarm_is_returned_over_many_announces()
    {
        var swarm = NewSwarm(_clock, seed: 12345);
        swarm.AddPeers(1, 2000);
        var seen = new HashSet<PeerEndpoint>();

        for (var i = 0; i < 1000; i++)
            seen.UnionWith(swarm.Announce(1 + (i * 7 % 2000)).Peers4());

        Assert.Equal(2000, seen.Count);
    }

    [Fact]
    public void answers_never_hold_duplicates_even_when_the_walk_wraps_around()
    {
        var swarm = NewSwarm(_clock, seed: 7);
        swarm.AddPeers(1, 60);
        swarm.AddPeers(101, 20, ipv6: true);

        for (var i = 0; i < 500; i++)
        {
            var peer = 1 + (i % 60);
            var result = swarm.Announce(peer, numWant: 70);
            var peers = result.AllPeers();
            Assert.Equal(peers.Count, peers.Distinct().Count());
            Assert.Equal(70, peers.Count);
            Assert.DoesNotContain(V4(peer), peers);
        }
    }

    [Fact]
    public void answers_start_at_random_offsets_not_in_peer_id_order()
    {
        var swarm = NewSwarm(_clock, seed: 99);
        swarm.AddPeers(1, 500);

        var firsts = Enumerable.Range(0, 200)
            .Select(_ => swarm.Announce(1000, numWant: 10).Peers4()[0])
            .ToHashSet();

        Assert.True(firsts.Count > 100, $"only {firsts.Count} distinct first peers in 200 answers");
    }

    [Fact]
    public void answers_are_consecutive_runs_of_the_swarm()
    {
        var swarm = NewSwarm(_clock, seed: 5);
        swarm.AddPeers(1, 100);   // stored in order 1..100

        var peers = swarm.Announce(1000, numWant: 10).Peers4();

        // The walk goes from a random start with wrap-around: each next peer is the one stored after it.
        for (var k = 1; k < peers.Count; k++)
            Assert.Equal(peers[k - 1] == V4(100) ? V4(1) : NextOf(peers[k - 1]), peers[k]);
    }

    [Fact]
    public void the_same_seed_gives_the_same_answers()
    {
        var a = NewSwarm(_clock, seed: 3);
        var b = NewSwarm(_clock, seed: 3);
        a.AddPeers(1, 300);
        b.AddPeers(1, 300);

        Assert.Equal(a.Announce(1000, numWant: 30).Peers4(), b.Announce(1000, numWant: 30).Peers4());
    }

    [Fact]
    public void peer_ids_follow_the_order_of_the_compact_peers_ipv4_first()
    {
        var swarm = NewSwarm(_clock, seed: 11);
        swarm.AddPeers(1, 30);
        swarm.AddPeers(101, 30, ipv6: true);

        var result = swarm.Announce(1000, numWant: 40, includePeerIds: true);

        var expected = result.Peers4().Select(IdOfV4).Concat(result.Peers6().Select(IdOfV6)).ToList();
        Assert.Equal(40, expected.Count);
        Assert.Equal(expected, result.PeerIds());
        Assert.Equal(40 * PeerId.Length, result.PeerIds.Length);
    }

    [Fact]
    public void peer_ids_are_left_out_unless_asked_for()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 10);

        var result = swarm.Announce(1000);

        Assert.Equal(10, result.Peers4Count);
        Assert.Same(Array.Empty<byte>(), result.PeerIds);
        Assert.Same(Array.Empty<byte>(), result.Peers6);
    }

    [Fact]
    public void answer_arrays_have_exactly_the_returned_peers_length()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 7);
        swarm.AddPeers(101, 3, ipv6: true);

        var result = swarm.Announce(1000, includePeerIds: true);

        Assert.Equal(7 * 6, result.Peers4.Length);
        Assert.Equal(3 * 18, result.Peers6.Length);
        Assert.Equal(10 * 20, result.PeerIds.Length);
    }

    [Fact]
    public void announce_allocates_only_the_answer()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 1000);
        swarm.AddPeers(2001, 100, ipv6: true);
        var request = Request(5, numWant: 74, includePeerIds: true);
        for (var i = 0; i < 100; i++)
            swarm.Announce(request);   // warm up

        AnnounceResult result = null!;
        // The least of five single announces: one-off work (a tier-1 stub, a cache) lands in one at most.
        var allocated = ThreadAllocations.LeastPerWindow(() => result = swarm.Announce(request));

        // The three byte arrays (24-byte header each, 8-byte rounding) and the result object.
        var arrays = new[] { result.Peers4, result.Peers6, result.PeerIds }.Sum(a => 24 + ((a.Length + 7) & ~7));
        Assert.InRange(allocated, arrays, arrays + 64);
    }

    private static PeerEndpoint NextOf(PeerEndpoint endpoint)
    {
        Span<byte> address = stackalloc byte[16];
        endpoint.WriteAddress(address);
        address[3]++;
        return PeerEndpoint.FromAddressBytes(address[..4], endpoint.Port);
    }

    private static PeerId IdOfV4(PeerEndpoint endpoint)
    {
        Span<byte> address = stackalloc byte[16];
        endpoint.WriteAddress(address);
        return Id(address[3] | (address[2] << 8));
    }

    private static PeerId IdOfV6(PeerEndpoint endpoint)
    {
        Span<byte> address = stackalloc byte[16];
        endpoint.WriteAddress(address);
        return Id(address[15] | (address[14] << 8));
    }
}
