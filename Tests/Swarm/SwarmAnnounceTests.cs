using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

public sealed class SwarmAnnounceTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void first_announce_creates_the_peer()
    {
        var swarm = NewSwarm(_clock);
        Assert.True(swarm.IsEmpty);

        var result = swarm.Announce(1, announceEvent: AnnounceEvent.Started);

        Assert.False(swarm.IsEmpty);
        Assert.Equal(1, swarm.PeerCount);
        Assert.Equal(new SwarmCounts(0, 1, 0), swarm.Counts);
        Assert.Equal((0, 1, 0L), (result.Seeders, result.Leechers, result.Completed));
        Assert.Empty(result.Peers4);
        Assert.Empty(result.Peers6);
        Assert.Empty(result.PeerIds);
    }

    [Fact]
    public void re_announce_of_a_known_peer_does_not_add_a_peer()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, announceEvent: AnnounceEvent.Started);
        swarm.Announce(1);
        swarm.Announce(1);

        Assert.Equal(1, swarm.PeerCount);
        Assert.Equal(new SwarmCounts(0, 1, 0), swarm.Counts);
    }

    [Fact]
    public void left_zero_is_a_seeder_and_anything_else_a_leecher()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, left: 0);
        swarm.Announce(2, left: 0);
        swarm.Announce(3, left: 1);
        swarm.Announce(4, left: 5_000_000_000);

        Assert.Equal(new SwarmCounts(2, 2, 0), swarm.Counts);
    }

    [Fact]
    public void leecher_becomes_a_seeder_when_left_reaches_zero()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, left: 100, announceEvent: AnnounceEvent.Started);
        swarm.Announce(1, left: 50);
        Assert.Equal(new SwarmCounts(0, 1, 0), swarm.Counts);

        var result = swarm.Announce(1, left: 0);

        Assert.Equal(new SwarmCounts(1, 0, 0), swarm.Counts);
        Assert.Equal((1, 0), (result.Seeders, result.Leechers));
    }

    [Fact]
    public void seeder_that_stops_is_removed_and_answered_with_counts_but_no_peers()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(10, 5);
        swarm.Announce(1, left: 0);

        var result = swarm.Announce(1, left: 0, announceEvent: AnnounceEvent.Stopped);

        Assert.Equal(5, swarm.PeerCount);
        Assert.Equal(new SwarmCounts(0, 5, 0), swarm.Counts);
        Assert.Equal((0, 5, 0L), (result.Seeders, result.Leechers, result.Completed));
        Assert.Empty(result.Peers4);
        Assert.Empty(result.Peers6);
    }

    [Fact]
    public void stopped_from_an_unknown_peer_changes_nothing()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(10, 3);

        var result = swarm.Announce(99, announceEvent: AnnounceEvent.Stopped);

        Assert.Equal(3, swarm.PeerCount);
        Assert.Equal(new SwarmCounts(0, 3, 0), swarm.Counts);
        Assert.Equal((0, 3), (result.Seeders, result.Leechers));
        Assert.Empty(result.Peers4);
    }

    [Fact]
    public void last_peer_stopping_leaves_an_empty_swarm()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1);
        swarm.Announce(1, announceEvent: AnnounceEvent.Stopped);

        Assert.True(swarm.IsEmpty);
        Assert.Equal(SwarmCounts.Empty, swarm.Counts);
        Assert.Empty(swarm.SnapshotPeers());
    }

    [Fact]
    public void re_announce_from_the_same_address_with_a_new_port_updates_the_entry()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1, 1111));
        swarm.Announce(1, V4(1, 2222));

        var seen = swarm.Announce(2).Peers4();

        Assert.Equal(2, swarm.PeerCount);
        Assert.Equal([V4(1, 2222)], seen);
    }

    [Fact]
    public void completed_loaded_from_storage_is_reported()
    {
        var swarm = NewSwarm(_clock, completed: 42);

        Assert.Equal(42, swarm.Completed);
        Assert.Equal(new SwarmCounts(0, 0, 42), swarm.Counts);
        Assert.Equal(42, swarm.Announce(1).Completed);
    }

    [Fact]
    public void invalid_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansTracker.Grains.Swarm.Swarm(new SwarmOptions(TimeSpan.Zero, 50, 74), _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansTracker.Grains.Swarm.Swarm(new SwarmOptions(TimeSpan.FromDays(8), 50, 74), _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansTracker.Grains.Swarm.Swarm(new SwarmOptions(PeerTimeout, -1, 74), _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansTracker.Grains.Swarm.Swarm(new SwarmOptions(PeerTimeout, 50, -1), _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansTracker.Grains.Swarm.Swarm(new SwarmOptions(PeerTimeout, 50, 74), _clock, completed: -1));
    }
}
