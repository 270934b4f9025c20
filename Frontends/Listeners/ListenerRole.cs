namespace OrleansTracker.Frontends.Listeners;

/// <summary>What one HTTP listener of this process serves; each route answers on listeners of its role only.</summary>
public enum ListenerRole
{
    /// <summary>BEP 3 announce and scrape (http_trackers, plain and TLS).</summary>
    Tracker,

    /// <summary>The admin REST API (http_api).</summary>
    AdminApi,

    /// <summary>The Orleans dashboard (dashboard).</summary>
    Dashboard,

    /// <summary>The WebTorrent tracker's WebSocket upgrades (ws_trackers, ws:// and wss://).</summary>
    WebSocketTracker,
    /// <summary>GET /health_check (health_check_api).</summary>
    HealthCheckApi,
}
