using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

public sealed class SwarmNumWantTests
{
    private readonly ManualClock _clock = new();

    private OrleansTracker.Grains.Swarm.Swarm SwarmOf(int peers)
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, peers);
        return swarm;
    }

    [Fact]
    public void negative_numwant_gets_the_default()
    {
        var result = SwarmOf(200).Announce(1000, numWant: -1);

        Assert.Equal(DefaultNumWant, result.Peers4Count);
    }

    [Fact]
    public void numwant_above_the_cap_is_capped()
    {
        var result = SwarmOf(200).Announce(1000, numWant: 500);

        Assert.Equal(MaxNumWant, result.Peers4Count);
    }

    [Fact]
    public void numwant_below_the_cap_is_honoured()
    {
        var swarm = SwarmOf(200);

        Assert.Equal(5, swarm.Announce(1000, numWant: 5).Peers4Count);
        Assert.Equal(1, swarm.Announce(1001, numWant: 1).Peers4Count);
        Assert.Equal(73, swarm.Announce(1002, numWant: 73).Peers4Count);
    }

    [Fact]
    public void numwant_zero_returns_counts_and_no_peers()
    {
        var result = SwarmOf(200).Announce(1000, numWant: 0);

        Assert.Empty(result.Peers4);
        Assert.Empty(result.Peers6);
        Assert.Equal(201, result.Leechers);
    }

    [Fact]
    public void numwant_larger_than_the_swarm_returns_every_other_peer()
    {
        var result = SwarmOf(10).Announce(1000, numWant: 50);

        Assert.Equal(10, result.Peers4Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => V4(n)).ToHashSet(), result.Peers4().ToHashSet());
    }

    [Fact]
    public void zero_default_numwant_returns_no_peers_unless_asked()
    {
        var swarm = NewSwarm(_clock, defaultNumWant: 0);
        swarm.AddPeers(1, 10);

        Assert.Empty(swarm.Announce(1000).Peers4);
        Assert.Equal(3, swarm.Announce(1001, numWant: 3).Peers4Count);
    }

    [Fact]
    public void numwant_above_a_large_cap_is_served_from_pooled_scratch()
    {
        var swarm = NewSwarm(_clock, defaultNumWant: 300, maxNumWant: 1000);
        swarm.AddPeers(1, 600);
        swarm.AddPeers(1001, 200, ipv6: true);

        var result = swarm.Announce(5000, numWant: 700);

        Assert.Equal(700, result.Peers4Count + result.Peers6Count);
        Assert.Equal(700, result.AllPeers().Distinct().Count());
    }
}
