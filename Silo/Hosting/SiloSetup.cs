using Orleans.Configuration;
using Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansTracker.Grains;
using OrleansTracker.Grains.Access;
using OrleansTracker.Grains.Cluster;
using OrleansTracker.Grains.Partitions;
using OrleansTracker.Grains.Routing;
using OrleansTracker.Grains.Torrents;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Persistence;

namespace OrleansTracker.Silo.Hosting;

/// <summary>Orleans wiring: clustering, storage, reminders and grain lifetimes from config.toml.</summary>
internal static class SiloSetup
{
    public static void Configure(ISiloBuilder silo, TrackerConfig config)
    {
        ClusterSetup.ConfigureSilo(silo, config);
        ConfigureGrains(silo, config);
    }

    /// <summary>Everything but clustering: storage, reminders, the access-list store, grain lifetimes.</summary>
    public static void ConfigureGrains(ISiloBuilder silo, TrackerConfig config)
    {
        silo.AddTrackerStorage(Database(config));
        silo.AddSweepPartitions();
        silo.AddTorrentRouting();
        silo.Services.AddSingleton<IAccessListStore>(SqlAccessListStore.For(AccessListDatabase(config)));
        silo.Services.TryAddSingleton(sp => new KeyClock(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        // Every silo: a swarm on any silo drops the WebSocket peers of a silo that died.
        silo.Services.TryAddSingleton<OrleansTracker.Grains.WebSockets.ISiloLiveness, WebSockets.MembershipLiveness>();
        if (config.Persistence)
            silo.Services.AddSingleton<IClusterSecretStore>(new DatabaseClusterSecretStore(Database(config)));
        else
            silo.Services.AddSingleton<IClusterSecretStore, MemoryClusterSecretStore>();

        var torrents = TorrentSetup.From(config);
        silo.Services.Configure<TorrentOptions>(o => TorrentSetup.Fill(o, config));
        silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = torrents.IdleCollectionAge);
        // cleanup_interval may be shorter than Orleans' one-minute reminder floor (tests, small
        // trackers); the partitions hold the only reminders, so a short period costs little.
        if (config.CleanupInterval < TimeSpan.FromMinutes(1))
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Where the whitelist and keys live: the same database, used whatever <c>persistence</c> says
    /// (that switch covers swarm statistics; keys and whitelist must never be lost).
    /// </summary>
    public static DatabaseSettings AccessListDatabase(TrackerConfig config) => Database(config) with { Enabled = true };

    /// <summary>The storage settings of config.toml (persistence, db_driver, db_path).</summary>
    public static DatabaseSettings Database(TrackerConfig config) => new(
        config.Persistence,
        config.DbDriver == DbDriver.MySql ? "mysql" : "sqlite3",
        config.DbPath);
}

internal static class TorrentSetup
{
    public static TorrentOptions From(TrackerConfig config)
    {
        var options = new TorrentOptions();
        Fill(options, config);
        return options;
    }

    public static void Fill(TorrentOptions o, TrackerConfig config)
    {
        o.PeerTimeout = config.PeerTimeout;
        o.DefaultNumWant = config.DefaultNumwant;
        o.MaxNumWant = config.MaxNumwant;
        o.CleanupInterval = config.CleanupInterval;
        o.CleanupPeerless = config.CleanupPeerless;
        o.PersistenceInterval = config.PersistenceInterval;
        o.MaxSwarmsPerSilo = config.Limits.MaxSwarmsPerSilo;
        o.MaxPeersPerSwarm = config.Limits.MaxPeersPerSwarm;
        o.MaxPeersPerSilo = config.Limits.MaxPeersPerSilo;
        o.MaxIdleTorrentsListed = config.Limits.MaxIdleTorrentsListed;
    }
}
