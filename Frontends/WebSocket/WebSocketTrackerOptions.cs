namespace OrleansTracker.Frontends.WebSocket;

/// <summary>The WebSocket tracker's settings (<c>[[ws_trackers]]</c> and the <c>ws_*</c> keys of <c>[limits]</c>).</summary>
public sealed class WebSocketTrackerOptions
{
    /// <summary>The <c>interval</c> sent to clients (announce_interval).</summary>
    public int AnnounceIntervalSeconds { get; set; } = 120;

    /// <summary>Hashes one scrape may ask for (max_scrape_hashes).</summary>
    public int MaxScrapeHashes { get; set; } = 74;

    /// <summary>Open WebSocket connections in this process; more are closed at once with a reason.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Open WebSocket connections from one address.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 32;

    /// <summary>Bytes of one message (an SDP offer is about 0.5-1.5 KB; the npm client sends five per announce).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>Offers in one announce; more closes the connection.</summary>
    public int MaxOffersPerAnnounce { get; set; } = 10;

    /// <summary>Messages per second one connection may send (a burst of twice as many is allowed).</summary>
    public int MessagesPerSecond { get; set; } = 20;

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Torrents one connection may join (a browser shares one socket between its torrents).</summary>
    public int MaxTorrentsPerConnection { get; set; } = 100;

    /// <summary>Messages waiting to be sent to one connection; past it, relayed offers to it are dropped and counted.</summary>
    public int MaxQueuedMessages { get; set; } = 64;
}
