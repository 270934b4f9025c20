using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

public sealed class SwarmExpiryTests
{
    private static readonly TimeSpan HalfSecond = TimeSpan.FromMilliseconds(500);
    private readonly ManualClock _clock = new();

    [Fact]
    public void peer_heard_from_just_before_the_timeout_is_still_returned()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1);
        _clock.Advance(PeerTimeout - TimeSpan.FromMilliseconds(1));

        Assert.Equal([V4(1)], swarm.Announce(2).Peers4());
    }

    [Fact]
    public void expired_peer_is_never_returned_even_before_a_sweep_removes_it()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1);
        _clock.Advance(PeerTimeout - HalfSecond);
        Assert.Equal(0, swarm.RemoveExpired());   // the next sweep may not run for a second
        _clock.Advance(HalfSecond);               // peer 1 is now expired

        var result = swarm.Announce(2);

        Assert.Empty(result.Peers4);
        Assert.Equal(2, swarm.PeerCount);         // not swept yet
        Assert.DoesNotContain(swarm.SnapshotPeers(), p => p.PeerId == Id(1));
    }

    [Fact]
    public void re_announce_keeps_a_peer_alive()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1);
        _clock.Advance(PeerTimeout - TimeSpan.FromSeconds(1));
        swarm.Announce(1);
        _clock.Advance(PeerTimeout - TimeSpan.FromSeconds(1));

        Assert.Equal(0, swarm.RemoveExpired());
        Assert.Equal([V4(1)], swarm.Announce(2).Peers4());
    }

    [Fact]
    public void remove_expired_drops_every_expired_peer_and_says_how_many()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 3, left: 0);
        swarm.AddPeers(11, 4);
        swarm.AddPeers(21, 2, ipv6: true);
        _clock.Advance(PeerTimeout / 2);
        swarm.AddPeers(31, 1, left: 0);
        swarm.AddPeers(41, 1, ipv6: true);
        _clock.Advance(PeerTimeout / 2);

        var removed = swarm.RemoveExpired();

        Assert.Equal(9, removed);
        Assert.Equal(2, swarm.PeerCount);
        Assert.Equal(new SwarmCounts(1, 1, 0), swarm.Counts);
        Assert.Equal(0, swarm.RemoveExpired());
        Assert.Equal([V4(31)], swarm.Announce(99, numWant: 50).Peers4());
    }

    [Fact]
    public void everything_expired_leaves_an_empty_swarm_that_keeps_completed()
    {
        var swarm = NewSwarm(_clock, completed: 7);
        swarm.AddPeers(1, 100);
        _clock.Advance(PeerTimeout);

        Assert.Equal(100, swarm.RemoveExpired());
        Assert.True(swarm.IsEmpty);
        Assert.Equal(new SwarmCounts(0, 0, 7), swarm.Counts);
    }

    [Fact]
    public void announce_sweeps_lazily_so_counts_drop_after_the_timeout()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 3, left: 0);
        swarm.AddPeers(11, 3);
        _clock.Advance(PeerTimeout);

        var result = swarm.Announce(100);

        Assert.Equal((0, 1), (result.Seeders, result.Leechers));
        Assert.Equal(1, swarm.PeerCount);
    }

    [Fact]
    public void lazy_sweep_runs_at_most_once_a_second()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1);
        _clock.Advance(HalfSecond);
        swarm.Announce(2);
        _clock.Advance(PeerTimeout - HalfSecond);      // peer 1 expires now, peer 2 in half a second

        swarm.Announce(3);                          // sweeps: peer 1 goes
        Assert.Equal(2, swarm.PeerCount);

        _clock.Advance(TimeSpan.FromMilliseconds(600));
        var between = swarm.Announce(4);            // peer 2 expired, but the last sweep was 0.6 s ago
        Assert.Equal(3, swarm.PeerCount);
        Assert.DoesNotContain(V4(2), between.Peers4());

        _clock.Advance(TimeSpan.FromMilliseconds(400));
        var after = swarm.Announce(5);              // a second since the last sweep: peer 2 goes
        Assert.Equal(3, swarm.PeerCount);
        Assert.Equal((0, 3), (after.Seeders, after.Leechers));
    }

    [Fact]
    public void no_sweep_needed_while_the_oldest_peer_is_fresh()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1);
        _clock.Advance(PeerTimeout - TimeSpan.FromSeconds(1));
        swarm.Announce(2);

        Assert.Equal(2, swarm.PeerCount);
        Assert.Equal(0, swarm.RemoveExpired());
    }

    [Fact]
    public void peer_times_survive_the_time_base_moving_forward()
    {
        var swarm = NewSwarm(_clock);
        var step = PeerTimeout - TimeSpan.FromMinutes(1);
        var elapsed = TimeSpan.Zero;
        var lastAnnounce = _clock.GetUtcNow();
        while (elapsed < TimeSpan.FromDays(60))   // past two moves of the 24.8-day time base
        {
            swarm.Announce(1, left: 0);
            lastAnnounce = _clock.GetUtcNow();
            Assert.Equal([V4(1)], swarm.Announce(2).Peers4());
            _clock.Advance(step);
            elapsed += step;
        }

        Assert.Equal(new SwarmCounts(1, 1, 0), swarm.Counts);
        Assert.Equal(lastAnnounce, swarm.SnapshotPeers().Single(p => p.PeerId == Id(1)).LastAnnounce);
        _clock.Advance(PeerTimeout);
        Assert.Equal(2, swarm.RemoveExpired());
    }

    [Fact]
    public void swarm_left_idle_for_months_expires_everyone_and_works_again()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(1, 5);
        _clock.Advance(TimeSpan.FromDays(200));

        var result = swarm.Announce(100);

        Assert.Empty(result.Peers4);
        Assert.Equal(1, swarm.PeerCount);
        swarm.Announce(101);
        _clock.Advance(PeerTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal([V4(100)], swarm.Announce(101).Peers4());
    }
}
