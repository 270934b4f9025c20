using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

/// <summary>
/// A dual-stack peer announces over IPv4 and over IPv6 with one id: one peer, counted once, with
/// an address for each family. Peer 1 is at V4(1) and V6(1).
/// </summary>
public sealed class SwarmDualStackTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void a_dual_stack_peer_is_counted_once_and_each_family_gets_its_address()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1));
        swarm.Announce(1, V6(1));

        Assert.Equal(new SwarmCounts(0, 1, 0), swarm.Counts);
        Assert.Equal(2, swarm.PeerCount);
        Assert.Equal([V4(1)], swarm.Announce(2, V4(2), families: PeerFamilies.IPv4).Peers4());
        Assert.Equal([V6(1)], swarm.Announce(3, V6(3), families: PeerFamilies.IPv6).Peers6());
    }

    [Fact]
    public void an_ipv6_announce_does_not_take_the_peer_from_ipv4_only_peers()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1));
        swarm.Announce(1, V6(1));
        swarm.Announce(1, V4(1));
        swarm.Announce(1, V6(1));                     // the last announce came over IPv6

        Assert.Equal([V4(1)], swarm.Announce(2, V4(2), families: PeerFamilies.IPv4).Peers4());
        Assert.Equal(new SwarmCounts(0, 2, 0), swarm.Counts);
    }

    [Fact]
    public void the_first_address_decides_seeder_or_leecher()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1), left: 100);

        swarm.Announce(1, V6(1), left: 0);            // e.g. another host that knows the id
        Assert.Equal(new SwarmCounts(0, 1, 0), swarm.Counts);

        swarm.Announce(1, V4(1), left: 0);
        Assert.Equal(new SwarmCounts(1, 0, 0), swarm.Counts);
    }

    [Fact]
    public void the_peer_is_not_in_its_own_answer_in_either_family()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(10, 2);
        swarm.AddPeers(20, 2, ipv6: true);
        swarm.Announce(1, V4(1));
        swarm.Announce(1, V6(1));

        var answer = swarm.Announce(1, V4(1));

        Assert.Equal(4, answer.AllPeers().Count);
        Assert.DoesNotContain(V6(1), answer.Peers6());
    }

    [Fact]
    public void completed_over_the_second_family_counts_once_for_the_peer()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1), announceEvent: AnnounceEvent.Started);
        swarm.Announce(1, V6(1), announceEvent: AnnounceEvent.Started);

        swarm.Announce(1, V6(1), left: 0, announceEvent: AnnounceEvent.Completed);
        swarm.Announce(1, V4(1), left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(new SwarmCounts(1, 0, 1), swarm.Counts);
    }

    [Fact]
    public void a_first_completed_over_the_second_family_counts_for_a_known_peer()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1), announceEvent: AnnounceEvent.Started);

        swarm.Announce(1, V6(1), left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(1, swarm.Completed);
    }

    [Fact]
    public void stopped_over_one_family_keeps_the_other_address()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1), left: 100);
        swarm.Announce(1, V6(1), left: 0);

        swarm.Announce(1, V6(1), announceEvent: AnnounceEvent.Stopped);
        Assert.Equal((new SwarmCounts(0, 1, 0), 1), (swarm.Counts, swarm.PeerCount));

        swarm.Announce(1, V6(1), left: 0);
        swarm.Announce(1, V4(1), announceEvent: AnnounceEvent.Stopped);
        // The IPv6 address is all that is left: it counts the peer now, as the seeder it said it was.
        Assert.Equal((new SwarmCounts(1, 0, 0), 1), (swarm.Counts, swarm.PeerCount));
        Assert.Equal([V6(1)], swarm.Announce(3, V6(3), families: PeerFamilies.IPv6).Peers6());
    }

    [Fact]
    public void when_the_first_address_expires_the_second_counts_the_peer()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1), left: 100);
        _clock.Advance(PeerTimeout / 2);
        swarm.Announce(1, V6(1), left: 0);
        _clock.Advance(PeerTimeout / 2);

        Assert.Equal(1, swarm.RemoveExpired());

        Assert.Equal((new SwarmCounts(1, 0, 0), 1), (swarm.Counts, swarm.PeerCount));
        swarm.Announce(1, V4(1), left: 0, announceEvent: AnnounceEvent.Completed);   // back: the same peer, known
        Assert.Equal(new SwarmCounts(1, 0, 1), swarm.Counts);
    }

    [Fact]
    public void the_second_address_expiring_leaves_the_peer_as_it_was()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V6(1), left: 0);
        swarm.Announce(1, V4(1), left: 100);
        _clock.Advance(PeerTimeout / 2);
        swarm.Announce(1, V6(1), left: 0);
        _clock.Advance(PeerTimeout / 2);

        Assert.Equal(1, swarm.RemoveExpired());

        Assert.Equal((new SwarmCounts(1, 0, 0), 1), (swarm.Counts, swarm.PeerCount));
        Assert.Empty(swarm.Announce(2, V4(2), families: PeerFamilies.IPv4).Peers4());
    }

    [Fact]
    public void an_address_of_a_family_already_paired_is_another_peer()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1));
        swarm.Announce(1, V6(1));

        swarm.Announce(1, V4(66), left: 0);
        swarm.Announce(1, V6(66), left: 0);           // not paired: the id already has a pair

        Assert.Equal(new SwarmCounts(2, 1, 0), swarm.Counts);
        swarm.Announce(1, V6(66), announceEvent: AnnounceEvent.Stopped);
        swarm.Announce(1, V4(66), announceEvent: AnnounceEvent.Stopped);
        Assert.Equal((new SwarmCounts(0, 1, 0), 2), (swarm.Counts, swarm.PeerCount));
    }

    [Fact]
    public void two_single_addresses_of_the_other_family_are_ambiguous_and_pair_with_neither()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1));
        swarm.Announce(1, V4(66));

        swarm.Announce(1, V6(1));

        Assert.Equal(new SwarmCounts(0, 3, 0), swarm.Counts);
    }

    [Fact]
    public void evicting_the_first_address_leaves_the_second_counted()
    {
        const int Cap = 32;                            // evicts one at a time
        var swarm = NewSwarm(_clock, maxPeers: Cap);
        swarm.Announce(1, V4(1), left: 100);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        for (var n = 2; n < Cap; n++)
        {
            swarm.Announce(n, numWant: 0);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        swarm.Announce(1, V6(1), left: 0);            // the 32nd entry: the swarm is full

        swarm.Announce(1000, numWant: 0);             // evicts the oldest entry, peer 1's IPv4 address

        Assert.Equal(1, swarm.EvictedPeers);
        Assert.DoesNotContain(V4(1), swarm.SnapshotPeers().Select(p => p.Endpoint));
        Assert.Equal(new SwarmCounts(1, Cap - 1, 0), swarm.Counts);   // peer 1 as its IPv6 address says, 30 others, 1000
    }

    [Fact]
    public void a_dual_stack_reannounce_allocates_only_the_answer()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(100, 500);
        swarm.AddPeers(1000, 100, ipv6: true);
        swarm.Announce(1, V4(1));
        var request = Request(1, V6(1), numWant: 74, includePeerIds: true);
        for (var i = 0; i < 100; i++)
            swarm.Announce(request);   // warm up

        AnnounceResult result = null!;
        // The least of five single announces: one-off work (a tier-1 stub, a cache) lands in one at most.
        var allocated = ThreadAllocations.LeastPerWindow(() => result = swarm.Announce(request));

        // The three byte arrays (24-byte header each, 8-byte rounding) and the result object.
        var arrays = new[] { result.Peers4, result.Peers6, result.PeerIds }.Sum(a => 24 + ((a.Length + 7) & ~7));
        Assert.InRange(allocated, arrays, arrays + 64);
    }
}
