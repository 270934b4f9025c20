namespace OrleansTracker.Silo.Config;

/// <summary>The WebSocket tracker's keys: <c>[[ws_trackers]]</c> blocks and the <c>ws_*</c> keys of <c>[limits]</c>.</summary>
internal sealed partial class TrackerConfigReader
{
    private WsTrackerConfig ReadWs(TomlSection section)
    {
        var defaults = new WsTrackerConfig();
        var enabled = section.GetBool("enabled", defaults.Enabled);
        var sslEnabled = section.GetBool("ssl_enabled", defaults.SslEnabled);
        var (cert, key) = ReadCertificate(section, check: enabled && sslEnabled);
        var ws = new WsTrackerConfig
        {
            Enabled = enabled,
            BindAddress = section.GetEndPoint("bind_address", defaults.BindAddress),
            SslEnabled = sslEnabled,
            SslBindAddress = section.GetEndPoint("ssl_bind_address", defaults.SslBindAddress),
            SslCertPath = cert,
            SslKeyPath = key,
        };
        section.RejectUnknownKeys();
        _tcpListeners.Add(new Listener(section, "bind_address", enabled, ws.BindAddress));
        _tcpListeners.Add(new Listener(section, "ssl_bind_address", enabled && sslEnabled, ws.SslBindAddress));
        return ws;
    }

    private static WsLimitsConfig ReadWsLimits(TomlSection? section, TimeSpan announceInterval)
    {
        var defaults = new WsLimitsConfig();
        if (section is null)
            return defaults;
        var limits = new WsLimitsConfig
        {
            MaxConnections = section.GetInt("ws_max_connections", defaults.MaxConnections, 1, 10_000_000),
            MaxConnectionsPerAddress = section.GetInt("ws_max_connections_per_address", defaults.MaxConnectionsPerAddress, 1, 10_000_000),
            MaxMessageBytes = section.GetInt("ws_max_message_bytes", defaults.MaxMessageBytes, 1024, 1024 * 1024),
            MaxOffersPerAnnounce = section.GetInt("ws_max_offers_per_announce", defaults.MaxOffersPerAnnounce, 0, 100),
            MessagesPerSecond = section.GetInt("ws_messages_per_second", defaults.MessagesPerSecond, 1, 100_000),
            IdleTimeout = section.GetSeconds("ws_idle_timeout", (int)defaults.IdleTimeout.TotalSeconds),
            MaxTorrentsPerConnection = section.GetInt("ws_max_torrents_per_connection", defaults.MaxTorrentsPerConnection, 1, 100_000),
        };
        // A client that announces on time must never look idle.
        if (limits.IdleTimeout <= announceInterval)
            throw section.Error("ws_idle_timeout", $"{limits.IdleTimeout.TotalSeconds} seconds is not more than announce_interval ({announceInterval.TotalSeconds} seconds)");
        return limits;
    }

    /// <summary>
    /// A WebSocket peer is reached through the silo holding its socket, and a silo that leaves takes
    /// its sockets' peers out of the swarms: both rest on silo membership, which an Orleans client
    /// process (role = "frontend") is not part of.
    /// </summary>
    private static void RejectWsOnFrontends(TomlSection root, TrackerConfig config)
    {
        if (config.Cluster.Role == ClusterRole.Frontend && config.WsTrackers.Any(w => w.Enabled))
            throw root.Error("ws_trackers", "WebSocket listeners run in silos only; remove the [[ws_trackers]] blocks of a role = \"frontend\" process (or set enabled = false)");
    }
}
