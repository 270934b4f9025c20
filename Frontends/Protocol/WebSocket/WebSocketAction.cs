namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>The two request actions of the WebTorrent tracker protocol (npm bittorrent-tracker's WebSocket messages).</summary>
public enum WebSocketAction
{
    None = 0,
    Announce,
    Scrape,
}
