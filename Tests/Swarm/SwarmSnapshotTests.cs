using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

public sealed class SwarmSnapshotTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void snapshot_lists_every_live_peer_with_its_last_announce()
    {
        var swarm = NewSwarm(_clock);
        var firstAt = _clock.GetUtcNow();
        swarm.Announce(Request(1, V4(1, 51413), left: 0, announceEvent: AnnounceEvent.Completed, uploaded: 10, downloaded: 20));
        _clock.Advance(TimeSpan.FromSeconds(90));
        var secondAt = _clock.GetUtcNow();
        swarm.Announce(Request(2, V6(2, 6882), left: 300, announceEvent: AnnounceEvent.Started, uploaded: 1, downloaded: 2));
        _clock.Advance(TimeSpan.FromSeconds(5));

        var peers = swarm.SnapshotPeers();

        Assert.Equal(
            [
                new PeerSnapshot(Id(1), V4(1, 51413), 10, 20, 0, firstAt, AnnounceEvent.Completed),
                new PeerSnapshot(Id(2), V6(2, 6882), 1, 2, 300, secondAt, AnnounceEvent.Started),
            ],
            peers);
    }

    [Fact]
    public void snapshot_shows_the_latest_announce_of_a_peer()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(Request(1, V4(1), left: 500, announceEvent: AnnounceEvent.Started));
        _clock.Advance(TimeSpan.FromMinutes(10));
        swarm.Announce(Request(1, V4(1, 9000), left: 100, uploaded: 4, downloaded: 400));

        var peer = Assert.Single(swarm.SnapshotPeers());

        Assert.Equal(new PeerSnapshot(Id(1), V4(1, 9000), 4, 400, 100, _clock.GetUtcNow(), AnnounceEvent.None), peer);
    }

    [Fact]
    public void snapshot_leaves_out_expired_peers()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1);
        _clock.Advance(PeerTimeout / 2);
        swarm.Announce(2);
        _clock.Advance(PeerTimeout / 2);

        Assert.Equal([Id(2)], swarm.SnapshotPeers().Select(p => p.PeerId));
    }

    [Fact]
    public void snapshot_of_an_empty_swarm_is_empty()
    {
        Assert.Empty(NewSwarm(_clock).SnapshotPeers());
    }
}
