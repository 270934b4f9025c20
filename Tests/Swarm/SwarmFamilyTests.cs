using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

/// <summary>Which peers an answer may hold: the right families, never the announcer.</summary>
public sealed class SwarmFamilyTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void announcing_peer_is_not_in_its_own_answer()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1);

        var result = swarm.Announce(2);
        var again = swarm.Announce(1);

        Assert.Equal([V4(1)], result.Peers4());
        Assert.Equal([V4(2)], again.Peers4());
    }

    [Fact]
    public void another_id_at_the_same_address_and_port_is_not_returned()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(7));            // a client that restarted with a new peer id ...
        swarm.Announce(3, V4(7, 7000));      // same address, other port: a different peer
        swarm.Announce(4, V4(8));

        var result = swarm.Announce(2, V4(7));  // ... announces again from the same ip:port

        Assert.Equal(new HashSet<PeerEndpoint> { V4(7, 7000), V4(8) }, result.Peers4().ToHashSet());
    }

    [Fact]
    public void ipv4_request_gets_only_ipv4_peers()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 5);
        swarm.AddPeers(101, 5, ipv6: true);

        var result = swarm.Announce(1000, families: PeerFamilies.IPv4);

        Assert.Equal(5, result.Peers4Count);
        Assert.Empty(result.Peers6);
    }

    [Fact]
    public void ipv6_request_gets_only_ipv6_peers()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 5);
        swarm.AddPeers(101, 5, ipv6: true);

        var result = swarm.Announce(1000, V6(1000), families: PeerFamilies.IPv6);

        Assert.Empty(result.Peers4);
        Assert.Equal(Enumerable.Range(101, 5).Select(n => V6(n)).ToHashSet(), result.Peers6().ToHashSet());
    }

    [Fact]
    public void counts_cover_both_families_whatever_is_asked()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 3, left: 0);
        swarm.AddPeers(101, 4, ipv6: true);

        var result = swarm.Announce(1000, families: PeerFamilies.IPv6);

        Assert.Equal((3, 5), (result.Seeders, result.Leechers));
    }

    [Fact]
    public void no_families_means_no_peers()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 5);

        Assert.Empty(swarm.Announce(1000, families: PeerFamilies.None).AllPeers());
    }

    [Fact]
    public void both_families_return_peers_of_both()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 3);
        swarm.AddPeers(101, 2, ipv6: true);

        var result = swarm.Announce(1000);

        Assert.Equal(3, result.Peers4Count);
        Assert.Equal(2, result.Peers6Count);
    }

    [Fact]
    public void both_families_split_numwant_in_proportion_to_their_sizes()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 59);
        swarm.AddPeers(101, 20, ipv6: true);

        var result = swarm.Announce(1000, numWant: 20);   // 60 IPv4 peers with the announcer

        Assert.Equal(15, result.Peers4Count);
        Assert.Equal(5, result.Peers6Count);
    }

    [Fact]
    public void numwant_one_family_cannot_fill_goes_to_the_other()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(101, 5, ipv6: true);
        _clock.Advance(PeerTimeout / 2);
        swarm.AddPeers(106, 5, ipv6: true);
        swarm.AddPeers(1, 10);
        _clock.Advance(PeerTimeout / 2 - TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, swarm.RemoveExpired());   // so no lazy sweep for the next second
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        // Peers 101..105 have expired but are still stored: IPv6 holds 10 entries, 5 of them live.

        var all = swarm.Announce(1000, V4(1000), numWant: 16);
        var some = swarm.Announce(1001, V4(1001), numWant: 14);

        Assert.Equal(22, swarm.PeerCount);                              // nothing swept
        Assert.Equal((10, 5), (all.Peers4Count, all.Peers6Count));     // 15 live peers, all returned
        // 14 wanted: quota 8 IPv4 + 6 IPv6, IPv6 has only 5 live, IPv4 gives one more.
        Assert.Equal((9, 5), (some.Peers4Count, some.Peers6Count));
        Assert.Equal(14, some.AllPeers().Distinct().Count());
        Assert.All(some.Peers6(), p => Assert.DoesNotContain(p, Enumerable.Range(101, 5).Select(n => V6(n))));
    }
}
