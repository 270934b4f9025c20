using OrleansTracker.Tests.Support;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Routing;
using OrleansTracker.Grains;
using OrleansTracker.Grains.Partitions;
using OrleansTracker.Grains.Cluster;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Torrents;
using OrleansTracker.Silo.Persistence;
using Orleans.Core.Internal;
using Orleans.Storage;
using OrleansTracker.Tests.Grains;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// Three in-process silos with the real grains (memory or SQLite storage and reminders, system
/// clock) and one <see cref="ITorrentCalls"/> per silo built on that silo's own grain factory,
/// as a co-hosted frontend is.
/// </summary>
internal sealed class ThreeSiloCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private ThreeSiloCluster(InProcessTestCluster cluster) => _cluster = cluster;

    public IReadOnlyList<InProcessSiloHandle> Silos => _cluster.Silos;

    public IManagementGrain Management => _cluster.Client.GetGrain<IManagementGrain>(0);

    /// <summary>
    /// Starts the three silos. <paramref name="database"/> puts completed counts and reminders in
    /// a database shared by the silos (as in production), so they survive a silo kill; without
    /// it they are in memory, in grains that may live on any silo.
    /// </summary>
    /// <param name="serviceId">The cluster's service id (stored rows belong to it); new by default.</param>
    public static async Task<ThreeSiloCluster> StartAsync(Action<TorrentOptions>? configure = null, DatabaseSettings? database = null, string? serviceId = null)
    {
        var options = new TorrentOptions { PeerTimeout = TimeSpan.FromMinutes(15) };
        configure?.Invoke(options);
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ServiceId = serviceId ?? Guid.NewGuid().ToString("N");
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IClusterSecretStore, MemoryClusterSecretStore>();
            silo.Services.Configure<TorrentOptions>(options.CopyTo);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = options.IdleCollectionAge);
            if (database is null)
            {
                silo.AddMemoryGrainStorage(StorageNames.Torrents);
                silo.UseInMemoryReminderService();
            }
            else
            {
                silo.AddTrackerStorage(database);
            }
            silo.AddSweepPartitions();
            silo.AddTorrentRouting();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ThreeSiloCluster(cluster);
    }

    /// <summary>The frontends' calls to the swarms (<see cref="ITorrentCalls"/>) as co-hosted on <paramref name="silo"/>.</summary>
    public static ITorrentCalls GatewayOf(InProcessSiloHandle silo) => new DirectTorrentCalls(new TorrentReferences(GrainsOf(silo)));

    /// <summary>The grain factory of one silo: calls start there, as a co-hosted frontend's do.</summary>
    public static IGrainFactory GrainsOf(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>The silo holding the torrent's activation, or null when it has none.</summary>
    public Task<SiloAddress?> HostOfAsync(InfoHash hash) =>
        HostOfAsync(_cluster.Client.GetGrain<ITorrentGrain>(TorrentKeys.For(hash)));

    /// <summary>A hard stop: the silo's activations vanish without deactivating (as a crash or kill -9).</summary>
    public Task KillAsync(InProcessSiloHandle silo) => _cluster.KillSiloAsync(silo);

    /// <summary>A graceful stop (as SIGTERM): activations deactivate and the silo leaves the cluster.</summary>
    public Task StopAsync(InProcessSiloHandle silo) => _cluster.StopSiloAsync(silo);

    /// <summary>The client's view of one grain, wherever it lives.</summary>
    public IGrainFactory Client => _cluster.Client;

    /// <summary>The silo holding an activation of <paramref name="grain"/>, or null.</summary>
    public async Task<SiloAddress?> HostOfAsync(IAddressable grain)
    {
        var id = grain.GetGrainId();
        var stats = await Management.GetDetailedGrainStatistics();
        return stats.FirstOrDefault(s => s.GrainId == id)?.SiloAddress;
    }

    /// <summary>The completed count as the shared "torrents" storage holds it, bypassing any activation.</summary>
    public async Task<long> StoredCompletedAsync(InfoHash hash)
    {
        var storage = Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Torrents);
        var state = new GrainState<TorrentState>(new TorrentState());
        await storage.ReadStateAsync("torrent", _cluster.Client.GetGrain<ITorrentGrain>(TorrentKeys.For(hash)).GetGrainId(), state);
        return state.State?.Completed ?? 0;
    }

    /// <summary>
    /// Runs <paramref name="call"/> with an Orleans placement hint: a grain it activates is placed
    /// on <paramref name="silo"/> (default placement weighs the silos' load, which other tests
    /// running in parallel skew, so "it lands on the calling silo" is not reliable).
    /// </summary>
    public static async Task<T> PlacingOn<T>(InProcessSiloHandle silo, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo.SiloAddress);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>
    /// A sweep partition activated on <paramref name="target"/>. Every silo's partition watch
    /// touches all 16 partitions as it starts, so they begin on the first silo; this migrates one
    /// to the target with a placement hint (Orleans' grain migration; the partition's lists are
    /// not carried over, as after any move). Call it before the partitions have swarms.
    /// </summary>
    public async Task<long> PartitionOnAsync(InProcessSiloHandle target)
    {
        var local = GrainsOf(target);
        for (var attempt = 0; attempt < 3 * SweepPartitions.Count; attempt++)
        {
            var key = attempt % SweepPartitions.Count;
            var partition = local.GetGrain<ISweepPartitionGrain>(key);
            if (target.SiloAddress.Equals(await HostOfAsync(partition)))
                return key;
            await PlacingOn(target, async () =>
            {
                await partition.Cast<IGrainManagementExtension>().MigrateOnIdle();
                return true;
            });
            // Migration happens once the grain is idle; give it a moment, else try the next one.
            if (await Eventually.Holds(async () => target.SiloAddress.Equals(await HostOfAsync(partition)), TimeSpan.FromSeconds(3)))
                return key;
        }
        throw new Xunit.Sdk.XunitException($"no sweep partition could be placed on {target.SiloAddress}");
    }

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
