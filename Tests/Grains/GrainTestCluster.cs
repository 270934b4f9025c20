using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansTracker.Grains.Routing;
using OrleansTracker.Grains;
using OrleansTracker.Grains.Partitions;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Torrents;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// One in-process silo running the real grains: memory storage "torrents", in-memory reminders
/// (1 s floor), a manual clock as the silo's <see cref="TimeProvider"/> and short intervals.
/// One cluster per test, so a clock move or a reminder of one test never reaches another.
/// </summary>
internal sealed class GrainTestCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private GrainTestCluster(InProcessTestCluster cluster, ManualClock clock, TorrentOptions options)
    {
        _cluster = cluster;
        Clock = clock;
        Options = options;
    }

    public ManualClock Clock { get; }

    public TorrentOptions Options { get; }

    public IClusterClient Client => _cluster.Client;

    public IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    /// <param name="configureSilo">More silo wiring, after the defaults (e.g. a stored-torrent catalog).</param>
    public static async Task<GrainTestCluster> StartAsync(Action<TorrentOptions>? configure = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var options = new TorrentOptions
        {
            PeerTimeout = TimeSpan.FromSeconds(60),
            CleanupInterval = TimeSpan.FromSeconds(1),
            PersistenceInterval = TimeSpan.FromMinutes(10), // tests flush explicitly
        };
        configure?.Invoke(options);
        var clock = new ManualClock();

        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = Guid.NewGuid().ToString("N");
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(clock);
            silo.Services.Configure<TorrentOptions>(options.CopyTo);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = options.IdleCollectionAge);
            silo.AddMemoryGrainStorage(StorageNames.Torrents);
            silo.AddSweepPartitions();
            silo.AddTorrentRouting();
            silo.UseInMemoryReminderService();
            configureSilo?.Invoke(silo);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GrainTestCluster(cluster, clock, options);
    }

    public ITorrentGrain Torrent(InfoHash hash) => Client.GetGrain<ITorrentGrain>(TorrentKeys.For(hash));

    public ISweepPartitionGrain PartitionOf(InfoHash hash) => Client.GetGrain<ISweepPartitionGrain>(SweepPartitions.For(hash));

    /// <summary>The completed count as the "torrents" storage holds it, bypassing any activation.</summary>
    public async Task<(bool Exists, long Completed)> StoredStateAsync(InfoHash hash)
    {
        var storage = _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Torrents);
        var state = new GrainState<TorrentState>(new TorrentState());
        await storage.ReadStateAsync("torrent", Torrent(hash).GetGrainId(), state);
        return (state.RecordExists, state.State?.Completed ?? 0);
    }

    /// <summary>Stores a completed count through the "torrents" storage, as an earlier run of the tracker would have.</summary>
    public async Task StoreStateAsync(InfoHash hash, long completed)
    {
        var storage = _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Torrents);
        await storage.WriteStateAsync("torrent", Torrent(hash).GetGrainId(), new GrainState<TorrentState>(new TorrentState { Completed = completed }));
    }

    /// <summary>How many activations of this torrent's grain the silo holds right now.</summary>
    public async Task<int> ActivationsOfAsync(InfoHash hash)
    {
        var id = Torrent(hash).GetGrainId();
        var stats = await Management.GetDetailedGrainStatistics();
        return stats.Count(s => s.GrainId == id);
    }

    /// <summary>A service of the (only) silo, e.g. its <see cref="SiloSwarms"/>.</summary>
    public T SiloService<T>() where T : notnull => _cluster.Silos[0].ServiceProvider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
