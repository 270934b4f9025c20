using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using OrleansTracker.Frontends.WebSocket;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Hosting.WebSockets;

/// <summary>The WebTorrent tracker's wiring: options from config.toml, the relay between silos, listeners and the upgrade route.</summary>
internal static class WebSocketSetup
{
    public static bool Enabled(TrackerConfig config) => config.WsTrackers.Any(w => w.Enabled);

    public static WebSocketTrackerOptions Options(TrackerConfig config) => new()
    {
        AnnounceIntervalSeconds = (int)config.AnnounceInterval.TotalSeconds,
        MaxScrapeHashes = config.MaxScrapeHashes,
        MaxConnections = config.WsLimits.MaxConnections,
        MaxConnectionsPerAddress = config.WsLimits.MaxConnectionsPerAddress,
        MaxMessageBytes = config.WsLimits.MaxMessageBytes,
        MaxOffersPerAnnounce = config.WsLimits.MaxOffersPerAnnounce,
        MessagesPerSecond = config.WsLimits.MessagesPerSecond,
        IdleTimeout = config.WsLimits.IdleTimeout,
        MaxTorrentsPerConnection = config.WsLimits.MaxTorrentsPerConnection,
    };

    /// <summary>Host services (the silo and the frontend share one container).</summary>
    public static void ConfigureServices(IServiceCollection services, TrackerConfig config)
    {
        services.AddSingleton(Options(config));
        // Part of the process's statistics, so the stats API and Prometheus publish them with the rest.
        services.AddSingleton(sp => sp.GetRequiredService<OrleansTracker.Frontends.Tracking.TrackerStatistics>().WebSockets);
        services.AddSingleton<WebSocketConnections>();
        services.AddSingleton<IWebSocketRelay, WebSocketRelay>();
        services.AddSingleton<WebSocketTrackerHandler>();
    }

    /// <summary>The per-silo delivery end; only silos with WebSocket listeners hold sockets, so only they need it.</summary>
    public static void ConfigureSilo(ISiloBuilder silo) => silo.AddGrainService<WebSocketDeliveryService>();

    public static void Listen(KestrelServerOptions kestrel, TrackerConfig config, Func<string, string, X509Certificate2> loadCertificate)
    {
        foreach (var ws in config.WsTrackers.Where(w => w.Enabled))
        {
            kestrel.Listen(ws.BindAddress);
            if (ws.SslEnabled)
            {
                var certificate = loadCertificate(ws.SslCertPath!, ws.SslKeyPath!);
                kestrel.Listen(ws.SslBindAddress, listen => listen.UseHttps(certificate, https =>
                    https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13));
            }
        }
    }

    /// <summary>
    /// Every request reaching a WebSocket tracker port is the WebSocket tracker's, before any other
    /// route: the HTTP tracker's <c>/announce</c> on its own ports is left alone.
    /// </summary>
    public static void Map(WebApplication app, TrackerConfig config)
    {
        var ports = config.WsTrackers.Where(w => w.Enabled)
            .SelectMany(w => w.SslEnabled ? new[] { w.BindAddress.Port, w.SslBindAddress.Port } : [w.BindAddress.Port])
            .ToHashSet();
        var handler = app.Services.GetRequiredService<WebSocketTrackerHandler>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Use(next => context => ports.Contains(context.Connection.LocalPort) ? handler.Serve(context) : next(context));
    }
}
