using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using OrleansTracker.Frontends.Tracking;
using OrleansTracker.Grains;
using OrleansTracker.Grains.Cluster;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Torrents;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// Three in-process silos with the real grains (memory storage, in-memory reminders, system
/// clock) and one <see cref="TrackerGateway"/> per silo built on that silo's own grain factory,
/// as a co-hosted frontend is.
/// </summary>
internal sealed class ThreeSiloCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private ThreeSiloCluster(InProcessTestCluster cluster) => _cluster = cluster;

    public IReadOnlyList<InProcessSiloHandle> Silos => _cluster.Silos;

    public IManagementGrain Management => _cluster.Client.GetGrain<IManagementGrain>(0);

    public static async Task<ThreeSiloCluster> StartAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ServiceId = Guid.NewGuid().ToString("N");
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IClusterSecretStore, MemoryClusterSecretStore>();
            silo.Services.Configure<TorrentOptions>(o => o.PeerTimeout = TimeSpan.FromMinutes(15));
            silo.Services.AddSwarmCap();
            silo.AddMemoryGrainStorage(StorageNames.Torrents);
            silo.UseInMemoryReminderService();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ThreeSiloCluster(cluster);
    }

    /// <summary>The frontend gateway co-hosted on <paramref name="silo"/>.</summary>
    public static TrackerGateway GatewayOf(InProcessSiloHandle silo)
    {
        var options = Options.Create(new FrontendOptions());
        return new(GrainsOf(silo), options, new AccessPolicy(options, TimeProvider.System), new TrackerStatistics());
    }

    /// <summary>The grain factory of one silo: calls start there, as a co-hosted frontend's do.</summary>
    public static IGrainFactory GrainsOf(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>The silo holding the torrent's activation, or null when it has none.</summary>
    public async Task<SiloAddress?> HostOfAsync(InfoHash hash)
    {
        var id = _cluster.Client.GetGrain<ITorrentGrain>(TorrentKeys.For(hash)).GetGrainId();
        var stats = await Management.GetDetailedGrainStatistics();
        return stats.FirstOrDefault(s => s.GrainId == id)?.SiloAddress;
    }

    public Task KillAsync(InProcessSiloHandle silo) => _cluster.KillSiloAsync(silo);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
