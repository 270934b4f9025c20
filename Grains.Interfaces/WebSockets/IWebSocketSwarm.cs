using Orleans;

namespace OrleansTracker.Grains.Interfaces.WebSockets;

/// <summary>
/// A torrent's WebSocket (WebTorrent) peers. Implemented by the torrent's own grain (same key as
/// <see cref="ITorrentGrain"/>, same activation): WebSocket peers are peers of the one swarm,
/// counted in its scrape, kept apart from UDP/HTTP peers when peers are handed out.
/// </summary>
public interface IWebSocketSwarm : IGrainWithStringKey
{
    /// <summary>
    /// Records the announce (or removes the peer on <c>stopped</c>) and picks up to
    /// <see cref="WebSocketAnnounce.Offers"/> other live WebSocket peers for its offers. A peer id
    /// already held by another live connection is refused: peer ids are public, so only the
    /// connection that announced a peer may update or stop it.
    /// </summary>
    ValueTask<WebSocketAnnounceResult> AnnounceWebSocket(WebSocketAnnounce announce);

    /// <summary>The connection of a live WebSocket peer (for an answer to reach it), or null.</summary>
    [Orleans.Concurrency.ReadOnly]
    ValueTask<WebSocketConnection?> LocateWebSocketPeer(PeerId peerId);

    /// <summary>A closed socket's peer leaves the swarm (only if that connection still holds it).</summary>
    [Orleans.Concurrency.OneWay]
    ValueTask LeaveWebSocket(PeerId peerId, WebSocketConnection connection);
}
