using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Frontends;
using OrleansTracker.Frontends.Access;
using OrleansTracker.Frontends.Admin;
using OrleansTracker.Frontends.Health;
using OrleansTracker.Frontends.Http;
using OrleansTracker.Frontends.Listeners;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Routing;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Logging;
using OrleansTracker.Silo.Persistence;

using OrleansTracker.Silo.Hosting.WebSockets;

namespace OrleansTracker.Silo.Hosting;

/// <summary>Builds the one process that is the tracker: an Orleans silo with the frontends co-hosted.</summary>
public static class TrackerHost
{
    /// <summary>
    /// Creates or upgrades the database before the host is built. A database that cannot be used
    /// (corrupted SQLite file, unreachable MySQL server) then stops the start with a
    /// <see cref="DatabaseException"/> naming the file or server; inside the silo lifecycle the
    /// same failure surfaces as a lifecycle cancellation that crashes the process (exit 134) with
    /// the message buried in a stack trace. The silo's own install step then finds nothing to do.
    /// No-op when persistence is off.
    /// </summary>
    public static Task PrepareStorageAsync(TrackerConfig config, CancellationToken cancellationToken = default) =>
        config.Cluster.Role == ClusterRole.Frontend
            ? Task.CompletedTask // a frontend stores nothing; the silos install the schema
            : SchemaInstaller.InstallAsync(
                config.Mode == TrackerMode.Public ? SiloSetup.Database(config) : SiloSetup.AccessListDatabase(config),
                cancellationToken);

    /// <summary>
    /// The tracker's host. Without any HTTP listener (tracker, admin API, dashboard) it is a plain generic
    /// host: an ASP.NET host with no endpoint configured would open Kestrel's default 127.0.0.1:5000.
    /// </summary>
    public static IHost Build(TrackerConfig config)
    {
        // Before any grain call: Orleans' completion-source pools would otherwise grow without end
        // under the UDP receive threads (see ResponsePoolBound).
        ResponsePoolBound.Apply();
        if (!config.HttpTrackers.Any(h => h.Enabled) && !config.HttpApi.Enabled && !config.Dashboard.Enabled
            && !WebSocketSetup.Enabled(config) && !config.HealthCheckApi.Enabled)
        {
            var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
            ConfigureServices(plain, config);
            return plain.Build();
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureServices(builder, config);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, config));
        builder.Services.AddListenerRoles();
        var app = builder.Build();
        app.MapTrackerEndpoints();
        if (WebSocketSetup.Enabled(config))
            WebSocketSetup.Map(app);
        if (config.HttpApi.Enabled)
            app.MapAdminEndpoints(AdminSetup.Options(config.HttpApi));
        if (config.Dashboard.Enabled)
            DashboardSetup.Map(app);
        if (config.HealthCheckApi.Enabled)
            app.MapHealthCheck();
        return app;
    }

    private static void ConfigureServices(IHostApplicationBuilder builder, TrackerConfig config)
    {
        TrackerLogging.Configure(builder.Logging, config.LogLevel, config.LogFormat);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        if (config.Cluster.Role == ClusterRole.Silo)
        {
            builder.UseOrleans(silo =>
            {
                SiloSetup.Configure(silo, config);
                if (WebSocketSetup.Enabled(config))
                    WebSocketSetup.ConfigureSilo(silo);
                if (config.Dashboard.Enabled)
                    DashboardSetup.Configure(silo);
            });
        }
        else
        {
            builder.UseOrleansClient(client => ClusterSetup.ConfigureClient(client, config));
        }

        builder.Services.AddSingleton(Options.Create(FrontendSetup.From(config)));
        builder.Services.AddSingleton<AccessPolicy>();
        // The silo's memory caps count into it; a frontend-only process publishes 0.
        builder.Services.TryAddSingleton<MemoryCapCounters>();
        builder.Services.AddSingleton<TrackerStatistics>();
        builder.Services.AddSingleton<TorrentReferences>();
        builder.Services.AddSingleton<RoutingCounters>();
        builder.Services.AddSingleton<TorrentRouting>();
        // A silo's frontends know which silo owns each torrent (MembershipRouting) and batch the
        // announces bound for another; a frontend-only process has no membership view: direct calls.
        if (config.Cluster.Role == ClusterRole.Silo)
            builder.Services.AddSingleton<ITorrentCalls>(sp => new RoutedTorrentCalls(
                sp.GetRequiredService<TorrentReferences>(), sp.GetRequiredService<TorrentRouting>(),
                sp.GetRequiredService<RoutingCounters>(), config.Cluster.BatchRemoteAnnounces));
        else
            builder.Services.AddSingleton<ITorrentCalls, DirectTorrentCalls>();
        builder.Services.AddSingleton<ITrackerLogic, TrackerLogic>();
        builder.Services.AddSingleton<HttpTrackerHandler>();
        if (WebSocketSetup.Enabled(config))
            WebSocketSetup.ConfigureServices(builder.Services, config);
        // A random key until ConnectionIdKeySync installs the cluster's shared one (before UDP opens).
        builder.Services.AddSingleton(sp => new ConnectionIdIssuer(RandomNumberGenerator.GetBytes(16), sp.GetRequiredService<TimeProvider>()));

        // Hosted services start in registration order, after the silo: partitions first, then the
        // UDP sockets. Each listener is its own registration (AddHostedService<T> dedupes by type).
        if (config.Cluster.Role == ClusterRole.Silo)
        {
            builder.Services.AddSingleton<IHostedService, PartitionStartup>();
            builder.Services.AddSingleton<IHostedService, MembershipRouting>();
        }
        // Before the listeners: a private tracker must not open its sockets with an empty key list,
        // and UDP must not issue connection ids before it has the cluster's key.
        // One instance, also the admin API's: it applies its own changes before it answers.
        builder.Services.AddSingleton<AccessListRefresher>();
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AccessListRefresher>());
        builder.Services.AddSingleton<IHostedService, ConnectionIdKeySync>();
        var udpListeners = 0;
        foreach (var udp in config.UdpTrackers.Where(u => u.Enabled))
        {
            var bind = udp.BindAddress;
            var key = udpListeners++;
            builder.Services.AddKeyedSingleton(key, (sp, _) => UdpTrackerListener.Create(
                bind, sp.GetRequiredService<ITrackerLogic>(), sp.GetRequiredService<IOptions<FrontendOptions>>().Value,
                sp.GetRequiredService<TrackerStatistics>(), sp.GetRequiredService<ConnectionIdIssuer>(), sp.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<UdpTrackerListener>(key));
            builder.Services.AddSingleton<IHealthCheck>(sp => new UdpListenerCheck(sp.GetRequiredKeyedService<UdpTrackerListener>(key), bind));
        }
        HealthCheckSetup.AddHealthChecks(builder.Services, config);
        builder.Services.AddSingleton<IHostedService, ListenerSummary>();
        builder.Services.AddSingleton<IHostedService, StatisticsPublisher>();

    }

    private static void ConfigureKestrel(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, TrackerConfig config)
    {
        kestrel.AddServerHeader = false;
        // Abuse caps ([limits]): each bounds what one client can make the tracker hold.
        var limits = config.Limits;
        kestrel.Limits.MaxConcurrentConnections = limits.HttpMaxConnections;
        kestrel.Limits.MaxRequestLineSize = limits.HttpMaxRequestLine;
        kestrel.Limits.MaxRequestHeadersTotalSize = limits.HttpMaxHeaderBytes;
        kestrel.Limits.RequestHeadersTimeout = limits.HttpHeaderTimeout;
        kestrel.Limits.KeepAliveTimeout = limits.HttpKeepAliveTimeout;
        // Announces and scrapes have no body; a small cap stops anyone streaming one at us.
        kestrel.Limits.MaxRequestBodySize = 64 * 1024;
        // Each listener tags its connections with its role; routes answer on their own role's
        // listeners only (ListenerRoles), whatever the ports.
        // On the tracker's listeners a malformed Host (libtorrent's "Host: ::1:7070") is blanked
        // before Kestrel validates it: the Host header never decides whether an announce is served.
        foreach (var http in config.HttpTrackers.Where(h => h.Enabled))
        {
            kestrel.Listen(http.BindAddress, listen => listen.ServeAs(ListenerRole.Tracker).IgnoreMalformedHost());
            if (http.SslEnabled)
            {
                var certificate = LoadCertificate(http.SslCertPath!, http.SslKeyPath!);
                kestrel.Listen(http.SslBindAddress, listen => UseTls(listen.ServeAs(ListenerRole.Tracker), certificate).IgnoreMalformedHost());
            }
        }
        var api = config.HttpApi;
        if (api.Enabled)
        {
            kestrel.Listen(api.BindAddress, listen =>
            {
                listen.ServeAs(ListenerRole.AdminApi);
                if (api.SslEnabled)
                    UseTls(listen, LoadCertificate(api.SslCertPath!, api.SslKeyPath!));
            });
        }
        if (config.Dashboard.Enabled)
            kestrel.Listen(config.Dashboard.BindAddress, listen => listen.ServeAs(ListenerRole.Dashboard));
        WebSocketSetup.Listen(kestrel, config);
        if (config.HealthCheckApi.Enabled)
            kestrel.Listen(config.HealthCheckApi.BindAddress, listen => listen.ServeAs(ListenerRole.HealthCheckApi));
    }

    internal static Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions UseTls(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen, X509Certificate2 certificate) =>
        listen.UseHttps(certificate, https =>
            https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);

    /// <summary>PEM certificate and key; exported once so the key works with Kestrel's TLS stack on every OS.</summary>
    internal static X509Certificate2 LoadCertificate(string certPath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
