using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

public sealed class SwarmCompletedTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void completed_is_counted_once_per_peer()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, announceEvent: AnnounceEvent.Started);
        var first = swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Started);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(1, first.Completed);
        Assert.Equal(1, swarm.Completed);
        Assert.Equal(new SwarmCounts(1, 0, 1), swarm.Counts);
    }

    [Fact]
    public void completed_from_an_unknown_peer_is_not_counted_but_adds_the_peer()
    {
        var swarm = NewSwarm(_clock);

        var result = swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(0, result.Completed);
        Assert.Equal(new SwarmCounts(1, 0, 0), swarm.Counts);
    }

    [Fact]
    public void completed_resent_after_an_unknown_first_completed_is_not_counted()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(0, swarm.Completed);
    }

    [Fact]
    public void completed_counts_once_for_each_of_several_peers()
    {
        var swarm = NewSwarm(_clock, completed: 10);
        for (var n = 1; n <= 3; n++)
        {
            swarm.Announce(n, announceEvent: AnnounceEvent.Started);
            swarm.Announce(n, left: 0, announceEvent: AnnounceEvent.Completed);
        }

        Assert.Equal(13, swarm.Completed);
    }

    [Fact]
    public void peer_that_stopped_and_came_back_counts_completed_again()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, announceEvent: AnnounceEvent.Started);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Stopped);

        swarm.Announce(1, announceEvent: AnnounceEvent.Started);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(2, swarm.Completed);
    }

    [Fact]
    public void peer_that_expired_and_came_back_counts_completed_again()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, announceEvent: AnnounceEvent.Started);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);
        _clock.Advance(PeerTimeout);

        // Back before any sweep has removed the expired entry: still a new peer.
        swarm.Announce(1, announceEvent: AnnounceEvent.Started);
        swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(2, swarm.Completed);
        Assert.Equal(1, swarm.PeerCount);
    }

    [Fact]
    public void completed_counts_once_for_a_peer_announcing_over_both_families()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1), announceEvent: AnnounceEvent.Started);
        swarm.Announce(1, V4(1), left: 0, announceEvent: AnnounceEvent.Completed);

        swarm.Announce(1, V6(1), left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(1, swarm.Completed);
        Assert.Equal(new SwarmCounts(1, 0, 1), swarm.Counts);
    }
}
