using System.Net;
using Orleans.Runtime;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.WebSockets;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;
using TrackerSwarm = OrleansTracker.Grains.Swarm.Swarm;

namespace OrleansTracker.Tests.Swarm;

/// <summary>WebSocket peers in the plain swarm: a kind of their own, bound to their connection, counted with the rest.</summary>
public sealed class SwarmWebSocketTests
{
    private static readonly SiloAddress Silo1 = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress Silo2 = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 1);
    private static readonly Func<WebSocketConnection, bool> NoneGone = _ => false;

    private readonly ManualClock _clock = new();

    private static WebSocketConnection Connection(int n, SiloAddress? silo = null) => new(silo ?? Silo1, n);

    private static WebSocketAnnounce Ws(int peer, int connection, long left = 100, AnnounceEvent announceEvent = AnnounceEvent.None, int offers = 0, SiloAddress? silo = null) =>
        new(Id(peer), Connection(connection, silo), V4(peer), 0, 0, left, announceEvent, offers);

    [Fact]
    public void websocket_peers_count_with_the_others_but_are_never_handed_to_udp_or_http_announces()
    {
        var swarm = NewSwarm(_clock);
        swarm.AnnounceWebSocket(Ws(1, 1, left: 0), NoneGone);
        swarm.AnnounceWebSocket(Ws(2, 2), NoneGone);
        var http = swarm.Announce(Request(3));

        Assert.Equal((1, 2), (http.Seeders, http.Leechers));
        Assert.Empty(http.Peers4);
        Assert.Empty(http.Peers6);
        Assert.Equal(new SwarmCounts(1, 2, 0), swarm.Counts);
        Assert.Equal(3, swarm.SnapshotPeers().Count);
    }

    [Fact]
    public void offers_go_to_other_live_websocket_peers_only_up_to_the_offers_and_max_numwant()
    {
        var swarm = NewSwarm(_clock, maxNumWant: 3);
        swarm.Announce(Request(100));   // a UDP/HTTP peer never receives an offer
        for (var i = 1; i <= 5; i++)
            swarm.AnnounceWebSocket(Ws(i, i), NoneGone);

        var result = swarm.AnnounceWebSocket(Ws(6, 6, offers: 10), NoneGone);

        Assert.Equal(3, result.Targets.Length);
        Assert.Equal(3, result.Targets.Select(t => t.PeerId).Distinct().Count());
        Assert.All(result.Targets, t => Assert.NotEqual(Id(6), t.PeerId));
        Assert.All(result.Targets, t => Assert.Equal(t.PeerId, Id((int)t.Connection.Id)));
        Assert.Equal(2, swarm.AnnounceWebSocket(Ws(6, 6, offers: 2), NoneGone).Targets.Length);
    }

    [Fact]
    public void only_the_connection_that_holds_a_peer_id_updates_or_stops_it_unless_that_connections_silo_is_gone()
    {
        var swarm = NewSwarm(_clock);
        swarm.AnnounceWebSocket(Ws(1, 1, silo: Silo2), NoneGone);

        var stolen = swarm.AnnounceWebSocket(Ws(1, 9, announceEvent: AnnounceEvent.Stopped), NoneGone);
        Assert.Equal(TrackerSwarm.PeerIdTaken, stolen.Refused);
        Assert.Equal(1, swarm.WebSocketPeerCount);
        Assert.False(swarm.LeaveWebSocket(Id(1), Connection(9)));
        Assert.Equal(Connection(1, Silo2), swarm.LocateWebSocketPeer(Id(1)));

        // The client reconnected to another silo after its silo died: the new connection takes over.
        var taken = swarm.AnnounceWebSocket(Ws(1, 9), c => c.Silo.Equals(Silo2));
        Assert.Null(taken.Refused);
        Assert.Equal(Connection(9), swarm.LocateWebSocketPeer(Id(1)));
        Assert.True(swarm.LeaveWebSocket(Id(1), Connection(9)));
        Assert.True(swarm.IsEmpty);
    }

    [Fact]
    public void completed_counts_once_for_a_known_peer_and_a_client_without_left_that_completed_is_a_seeder()
    {
        var swarm = NewSwarm(_clock);
        swarm.AnnounceWebSocket(Ws(1, 1, left: -1, announceEvent: AnnounceEvent.Completed), NoneGone);   // first message: not known yet
        Assert.Equal(new SwarmCounts(1, 0, 0), swarm.Counts);
        swarm.AnnounceWebSocket(Ws(2, 2, left: 10, announceEvent: AnnounceEvent.Started), NoneGone);
        swarm.AnnounceWebSocket(Ws(2, 2, left: 0, announceEvent: AnnounceEvent.Completed), NoneGone);
        swarm.AnnounceWebSocket(Ws(2, 2, left: 0, announceEvent: AnnounceEvent.Completed), NoneGone);
        Assert.Equal(new SwarmCounts(2, 0, 1), swarm.Counts);
    }

    [Fact]
    public void expired_and_gone_peers_leave_and_are_never_offered_to()
    {
        var swarm = NewSwarm(_clock);
        swarm.AnnounceWebSocket(Ws(1, 1), NoneGone);
        swarm.AnnounceWebSocket(Ws(2, 2, silo: Silo2), NoneGone);
        Assert.Equal([Id(1)], swarm.AnnounceWebSocket(Ws(3, 3, offers: 5), c => c.Silo.Equals(Silo2)).Targets.Select(t => t.PeerId));

        Assert.Equal(1, swarm.RemoveWebSocketPeersOf(c => c.Silo.Equals(Silo2)));
        Assert.Equal(new SwarmCounts(0, 2, 0), swarm.Counts);

        _clock.Advance(PeerTimeout);
        Assert.Null(swarm.LocateWebSocketPeer(Id(1)));
        Assert.Equal(2, swarm.RemoveExpired());
        Assert.True(swarm.IsEmpty);
        Assert.Equal(SwarmCounts.Empty, swarm.Counts);
    }

    [Fact]
    public void a_full_swarm_refuses_new_websocket_peers_and_keeps_the_ones_it_has()
    {
        var swarm = NewSwarm(_clock, maxPeers: 2);
        swarm.AnnounceWebSocket(Ws(1, 1), NoneGone);
        swarm.AnnounceWebSocket(Ws(2, 2), NoneGone);
        Assert.Equal(TrackerSwarm.SwarmFull, swarm.AnnounceWebSocket(Ws(3, 3), NoneGone).Refused);
        Assert.Null(swarm.AnnounceWebSocket(Ws(1, 1), NoneGone).Refused);
        Assert.Equal(2, swarm.WebSocketPeerCount);
    }
}
