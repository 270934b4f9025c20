using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

/// <summary>
/// Peer ids are public: a request with a known id from another address must not stop, move or
/// recount that peer. Peer 1 lives at 10.0.0.1; "the other host" is 10.0.0.66 (V4(66)).
/// </summary>
public sealed class SwarmPeerIdentityTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void stopped_from_another_address_removes_nothing()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1));

        swarm.Announce(1, V4(66), announceEvent: AnnounceEvent.Stopped);

        Assert.Equal(new SwarmCounts(0, 1, 0), swarm.Counts);
        Assert.Equal([V4(1)], swarm.Announce(2).Peers4());
    }

    [Fact]
    public void an_announce_from_another_address_is_another_peer_and_moves_nothing()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1));                    // a leecher

        swarm.Announce(1, V4(66, 1234), left: 0);    // "I am peer 1, a seeder, at 10.0.0.66:1234"

        Assert.Equal(new SwarmCounts(1, 1, 0), swarm.Counts);
        Assert.Equal(new HashSet<PeerEndpoint> { V4(1), V4(66, 1234) }, swarm.Announce(2).Peers4().ToHashSet());
        var original = Assert.Single(swarm.SnapshotPeers(), p => p.Endpoint == V4(1));
        Assert.Equal(1000, original.Left);
    }

    [Fact]
    public void the_other_hosts_entry_is_its_own_to_stop()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1));
        swarm.Announce(1, V4(66));

        swarm.Announce(1, V4(66), announceEvent: AnnounceEvent.Stopped);

        Assert.Equal([V4(1)], swarm.Announce(2).Peers4());
        swarm.Announce(1, V4(1), announceEvent: AnnounceEvent.Stopped);
        Assert.Equal(1, swarm.PeerCount);             // peer 2
    }

    [Fact]
    public void a_completed_from_another_address_is_a_new_peers_and_does_not_count()
    {
        var swarm = NewSwarm(_clock);
        swarm.Announce(1, V4(1), announceEvent: AnnounceEvent.Started);

        swarm.Announce(1, V4(66), left: 0, announceEvent: AnnounceEvent.Completed);
        swarm.Announce(1, V4(1), left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(1, swarm.Completed);             // peer 1's own, once
    }

    [Fact]
    public void one_id_stores_at_most_eight_addresses_and_the_rest_are_answered_only()
    {
        var swarm = NewSwarm(_clock);
        swarm.AddPeers(500, 3);
        for (var n = 1; n <= 8; n++)
            swarm.Announce(1, V4(100 + n), numWant: 0);

        var ninth = swarm.Announce(1, V4(200), numWant: 50);

        Assert.Equal(11, swarm.PeerCount);
        Assert.Equal(11, ninth.AllPeers().Count);      // everyone else, eight of them "peer 1"
        Assert.DoesNotContain(V4(200), swarm.SnapshotPeers().Select(p => p.Endpoint));
        swarm.Announce(1, V4(101), announceEvent: AnnounceEvent.Stopped);
        swarm.Announce(1, V4(200), numWant: 0);        // room again
        Assert.Contains(V4(200), swarm.SnapshotPeers().Select(p => p.Endpoint));
    }

    [Fact]
    public void an_expired_entry_of_the_id_leaves_room_for_another_address()
    {
        var swarm = NewSwarm(_clock);
        for (var n = 1; n <= 8; n++)
            swarm.Announce(1, V4(100 + n), numWant: 0);
        _clock.Advance(PeerTimeout);

        swarm.Announce(1, V4(200), numWant: 0);

        Assert.Equal([V4(200)], swarm.SnapshotPeers().Select(p => p.Endpoint));
    }
}
