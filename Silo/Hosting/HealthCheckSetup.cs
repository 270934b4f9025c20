using Microsoft.Extensions.DependencyInjection;
using OrleansTracker.Frontends.Health;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// What <c>GET /health_check</c> checks: one <see cref="IHealthCheck"/> per HTTP(S) and WebSocket tracker listener
/// and the database here; each UDP listener's is registered with the listener (TrackerHost). A new
/// kind of listener adds one <c>AddSingleton&lt;IHealthCheck&gt;</c> where it is registered.
/// </summary>
internal static class HealthCheckSetup
{
    public static void AddHealthChecks(IServiceCollection services, TrackerConfig config)
    {
        services.AddSingleton<HealthCheckRunner>();
        foreach (var http in config.HttpTrackers.Where(h => h.Enabled))
        {
            services.AddSingleton<IHealthCheck>(new HttpListenerCheck(http.BindAddress, tls: false));
            if (http.SslEnabled)
                services.AddSingleton<IHealthCheck>(new HttpListenerCheck(http.SslBindAddress, tls: true));
        }
        foreach (var ws in config.WsTrackers.Where(w => w.Enabled))
        {
            services.AddSingleton<IHealthCheck>(new WebSocketListenerCheck(ws.BindAddress, tls: false));
            if (ws.SslEnabled)
                services.AddSingleton<IHealthCheck>(new WebSocketListenerCheck(ws.SslBindAddress, tls: true));
        }
        // The database the silo uses: completed counts when persistence is on, the access lists in
        // the listed and private modes. A frontend-only process stores nothing.
        var usesDatabase = config.Persistence || config.Mode != TrackerMode.Public;
        if (config.Cluster.Role == ClusterRole.Silo && usesDatabase)
            services.AddSingleton<IHealthCheck>(new DatabaseHealthCheck(SiloSetup.AccessListDatabase(config)));
    }
}
