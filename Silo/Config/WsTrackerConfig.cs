using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// One <c>[[ws_trackers]]</c> block: a WebTorrent (WebSocket) tracker listener, optionally with
/// wss:// (TLS) on its own address. None by default.
/// </summary>
public sealed class WsTrackerConfig
{
    /// <summary><c>enabled</c>: whether this listener starts.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>bind_address</c>: the ws:// address and port.</summary>
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.IPv6Any, 8000);

    /// <summary><c>ssl_enabled</c>: whether wss:// is also served on <see cref="SslBindAddress"/>.</summary>
    public bool SslEnabled { get; init; }

    /// <summary><c>ssl_bind_address</c>: the wss:// address and port.</summary>
    public IPEndPoint SslBindAddress { get; init; } = new(IPAddress.IPv6Any, 8443);

    /// <summary><c>ssl_cert_path</c>: PEM certificate chain.</summary>
    public string? SslCertPath { get; init; }

    /// <summary><c>ssl_key_path</c>: PEM private key.</summary>
    public string? SslKeyPath { get; init; }
}

/// <summary>The <c>ws_*</c> keys of <c>[limits]</c>: what one WebSocket client can make the tracker hold or do.</summary>
public sealed class WsLimitsConfig
{
    /// <summary><c>ws_max_connections</c>: open WebSocket connections per process; more are closed with a reason.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary><c>ws_max_connections_per_address</c>: open WebSocket connections from one client address.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 32;

    /// <summary><c>ws_max_message_bytes</c>: bytes of one message (five SDP offers are about 3-8 KB).</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024;

    /// <summary><c>ws_max_offers_per_announce</c>: offers in one announce (npm's client sends up to 5).</summary>
    public int MaxOffersPerAnnounce { get; init; } = 10;

    /// <summary><c>ws_messages_per_second</c>: messages one connection may send per second (bursts of twice as many).</summary>
    public int MessagesPerSecond { get; init; } = 20;

    /// <summary><c>ws_idle_timeout</c>: seconds a connection may stay silent before it is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>ws_max_torrents_per_connection</c>: torrents one connection may announce (a browser shares one socket between its torrents).</summary>
    public int MaxTorrentsPerConnection { get; init; } = 100;
}
