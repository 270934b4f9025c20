using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Logging;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// A silo of its own, with the tracker's storage but no listeners and no cluster, for commands
/// that must write grain state exactly as the tracker does (import). It uses a private cluster id
/// on free loopback ports, so it never joins a running tracker's cluster; the service id is the
/// tracker's, because grain state is stored under it.
/// </summary>
internal static class MaintenanceSilo
{
    public static async Task<IHost> StartAsync(TrackerConfig config, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        TrackerLogging.Configure(builder.Logging, LogLevel.Warning, config.LogFormat);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort());
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "maintenance-" + Guid.NewGuid().ToString("N");
                o.ServiceId = config.Cluster.ServiceId;
            });
            SiloSetup.ConfigureGrains(silo, config);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
