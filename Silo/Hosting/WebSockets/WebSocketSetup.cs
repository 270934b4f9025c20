using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using OrleansTracker.Frontends.Listeners;
using OrleansTracker.Frontends.Http;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Frontends.WebSocket;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Hosting.WebSockets;

/// <summary>The WebTorrent tracker's wiring: options from config.toml, the relay between silos, listeners and the upgrade routes.</summary>
internal static class WebSocketSetup
{
    public static bool Enabled(TrackerConfig config) => config.WsTrackers.Any(w => w.Enabled);

    public static WebSocketTrackerOptions Options(TrackerConfig config)
    {
        var limits = config.Limits;
        return new()
        {
            AnnounceIntervalSeconds = (int)config.AnnounceInterval.TotalSeconds,
            MaxScrapeHashes = config.MaxScrapeHashes,
            MaxConnections = limits.WsMaxConnections,
            MaxConnectionsPerAddress = limits.WsMaxConnectionsPerAddress,
            MaxMessageBytes = limits.WsMaxMessageBytes,
            MaxOffersPerAnnounce = limits.WsMaxOffersPerAnnounce,
            MessagesPerSecond = limits.WsMessagesPerSecond,
            IdleTimeout = limits.WsIdleTimeout,
            MaxTorrentsPerConnection = limits.WsMaxTorrentsPerConnection,
        };
    }

    /// <summary>Host services (the silo and the frontend share one container).</summary>
    public static void ConfigureServices(IServiceCollection services, TrackerConfig config)
    {
        services.AddSingleton(Options(config));
        // Part of the process's statistics, so the stats API and Prometheus publish them with the rest.
        services.AddSingleton(sp => sp.GetRequiredService<TrackerStatistics>().WebSockets);
        services.AddSingleton<WebSocketConnections>();
        services.AddSingleton<IWebSocketRelay, WebSocketRelay>();
        services.AddSingleton<WebSocketTrackerHandler>();
    }

    /// <summary>The per-silo delivery end; only silos with WebSocket listeners hold sockets, so only they need it.</summary>
    public static void ConfigureSilo(ISiloBuilder silo) => silo.AddGrainService<WebSocketDeliveryService>();

    /// <summary>Each listener tags its connections as the WebSocket tracker's (ListenerRoles), like the other listeners.</summary>
    public static void Listen(KestrelServerOptions kestrel, TrackerConfig config)
    {
        foreach (var ws in config.WsTrackers.Where(w => w.Enabled))
        {
            kestrel.Listen(ws.BindAddress, listen => listen.ServeAs(ListenerRole.WebSocketTracker).IgnoreMalformedHost());
            if (ws.SslEnabled)
            {
                var certificate = TrackerHost.LoadCertificate(ws.SslCertPath!, ws.SslKeyPath!);
                kestrel.Listen(ws.SslBindAddress, listen => TrackerHost.UseTls(listen.ServeAs(ListenerRole.WebSocketTracker), certificate).IgnoreMalformedHost());
            }
        }
    }

    /// <summary>
    /// The upgrade routes, on WebSocket tracker listeners only: <c>/</c>, <c>/announce</c> and
    /// <c>/announce/{key}</c> (clients use either; the key is for the private modes). The HTTP
    /// tracker's <c>/announce</c> on its own listeners is another route of another role.
    /// </summary>
    public static void Map(WebApplication app)
    {
        var handler = app.Services.GetRequiredService<WebSocketTrackerHandler>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        foreach (var pattern in new[] { "/", "/announce", "/announce/{key}" })
            app.Map(pattern, handler.Serve).RequireListener(ListenerRole.WebSocketTracker);
    }
}
