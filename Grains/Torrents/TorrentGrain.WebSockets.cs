using Orleans.Dashboard;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.WebSockets;

namespace OrleansTracker.Grains.Torrents;

/// <summary>The torrent's WebSocket peers: the same swarm, the same bookkeeping as an announce.</summary>
internal sealed partial class TorrentGrain : IWebSocketSwarm
{
    /// <summary>A connection is gone when its silo has left the cluster.</summary>
    private Func<WebSocketConnection, bool> IsGone => shared.IsGone;

    [NoProfiling]
    public ValueTask<WebSocketAnnounceResult> AnnounceWebSocket(WebSocketAnnounce announce)
    {
        var result = _swarm.AnnounceWebSocket(announce, IsGone);
        AfterAnnounce();
        return ValueTask.FromResult(result);
    }

    [NoProfiling]
    public ValueTask<WebSocketConnection?> LocateWebSocketPeer(PeerId peerId) => ValueTask.FromResult(_swarm.LocateWebSocketPeer(peerId));

    public ValueTask LeaveWebSocket(PeerId peerId, WebSocketConnection connection)
    {
        if (_swarm.LeaveWebSocket(peerId, connection))
            _membership.Announced(_swarm, _count, shared.Clock.GetUtcNow());
        LeaveIfHoldingNothing();
        return ValueTask.CompletedTask;
    }

    /// <summary>Part of every sweep: peers whose socket's silo has left the cluster leave the swarm.</summary>
    private void RemoveWebSocketPeersOfGoneSilos() => _swarm.RemoveWebSocketPeersOf(IsGone);
}
