using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansTracker.Frontends;
using OrleansTracker.Frontends.Access;
using OrleansTracker.Grains.Routing;
using OrleansTracker.Grains;
using OrleansTracker.Grains.Partitions;
using OrleansTracker.Grains.Torrents;
using OrleansTracker.Grains.Access;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Silo.Persistence;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Access;

/// <summary>
/// In-process silos running the real whitelist and key grains over a real SQLite file, each silo
/// with the frontends' <see cref="AccessPolicy"/> and its <see cref="AccessListRefresher"/>, as the
/// tracker process co-hosts them. The file outlives the cluster, so a new cluster on the same
/// file is a restart.
/// </summary>
internal sealed class AccessTestCluster : IAsyncDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(200);

    private AccessTestCluster(InProcessTestCluster cluster, ManualClock clock, string databasePath)
    {
        Cluster = cluster;
        Clock = clock;
        DatabasePath = databasePath;
    }

    public InProcessTestCluster Cluster { get; }

    /// <summary>The clock keys expire by.</summary>
    public ManualClock Clock { get; }

    public string DatabasePath { get; }

    public IClusterClient Client => Cluster.Client;

    public IWhitelistGrain Whitelist => AccessGrains.Whitelist(Client);

    public IKeyGrain Keys => AccessGrains.Keys(Client);

    /// <summary>A store on the same file, as a second process (or a restart) would see it.</summary>
    public SqlAccessListStore OpenStore() => new(DatabaseDriver.Sqlite, DatabaseConnectionStrings.From(DatabaseDriver.Sqlite, DatabasePath));

    public static string NewDatabasePath() =>
        Path.Combine(Directory.CreateTempSubdirectory("orleans-tracker-access-").FullName, "access.db");

    public static async Task<AccessTestCluster> StartAsync(int silos = 1, string? databasePath = null)
    {
        databasePath ??= NewDatabasePath();
        var connectionString = DatabaseConnectionStrings.From(DatabaseDriver.Sqlite, databasePath);
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ServiceId = Guid.NewGuid().ToString("N");
        builder.ConfigureSilo((_, silo) =>
        {
            // Keys expire by the manual clock; Orleans keeps the system clock (its membership reads
            // the silo's TimeProvider, and a fake one breaks joins and gateway discovery).
            silo.Services.AddSingleton(new KeyClock(clock));
            silo.Services.AddSingleton<IAccessListStore>(new SqlAccessListStore(DatabaseDriver.Sqlite, connectionString));
            silo.AddMemoryGrainStorage(StorageNames.Torrents);
            silo.AddSweepPartitions();
            silo.AddTorrentRouting();
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(Options.Create(new FrontendOptions
            {
                RequireKey = true,
                RequireWhitelist = true,
                AccessRefreshInterval = RefreshInterval,
            }));
            silo.Services.AddSingleton<AccessPolicy>();
            silo.Services.AddSingleton<IHostedService, AccessListRefresher>();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new AccessTestCluster(cluster, clock, databasePath);
    }

    /// <summary>The access policy the frontends of silo <paramref name="index"/> use.</summary>
    public AccessPolicy PolicyOf(int index) => Cluster.Silos[index].ServiceProvider.GetRequiredService<AccessPolicy>();

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
