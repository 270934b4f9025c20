using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansTracker.Grains;

namespace OrleansTracker.Silo.Persistence;

/// <summary>Silo wiring for grain state and reminders.</summary>
public static class StorageRegistration
{
    /// <summary>Orleans' invariant for SQLite (it maps to Microsoft.Data.Sqlite).</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>Orleans' invariant for MySQL/MariaDB through MySqlConnector.</summary>
    public const string MySqlInvariant = "MySql.Data.MySqlConnector";

    /// <summary>
    /// Registers the <see cref="StorageNames.Torrents"/> grain storage and the reminder service.
    /// Disabled: both in memory. Enabled: Orleans ADO.NET storage and reminders on SQLite or MySQL,
    /// with the schema installed or upgraded by <see cref="SchemaInstaller"/> early in silo start
    /// (before any provider reads its queries); for SQLite the storage goes through a
    /// <see cref="SqliteGate"/>. Clustering is not configured here.
    /// </summary>
    public static ISiloBuilder AddTrackerStorage(this ISiloBuilder silo, DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled)
        {
            silo.AddMemoryGrainStorage(StorageNames.Torrents);
            silo.UseInMemoryReminderService();
            return silo;
        }

        var driver = settings.ParsedDriver;
        var connectionString = settings.ToConnectionString();
        var invariant = driver == DatabaseDriver.Sqlite ? SqliteInvariant : MySqlInvariant;

        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaInstallParticipant(driver, connectionString));
        // The admin API's torrent list includes stored torrents that are not in memory.
        silo.Services.AddSingleton<OrleansTracker.Grains.Partitions.IStoredTorrentCatalog>(sp =>
            new StoredTorrentCatalog(settings, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterOptions>>()));
        silo.AddAdoNetGrainStorage(StorageNames.Torrents, options =>
        {
            options.Invariant = invariant;
            options.ConnectionString = connectionString;
        });
        if (driver == DatabaseDriver.Sqlite)
        {
            var gate = SqliteGate.For(connectionString);
            DecorateGrainStorage(silo.Services, StorageNames.Torrents, (_, storage) => new SqliteGatedGrainStorage(storage, gate));
        }

        DecorateGrainStorage(silo.Services, StorageNames.Torrents, (sp, storage) =>
            new ReadTolerantGrainStorage(storage, sp.GetRequiredService<ILogger<ReadTolerantGrainStorage>>()));

        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>
    /// Replaces the keyed <see cref="IGrainStorage"/> registered under <paramref name="name"/> with
    /// <paramref name="wrap"/> around it. Orleans resolves named providers (and their lifecycle
    /// participant) through that keyed registration, so the wrapper takes the provider's place
    /// everywhere while the provider itself, its options and serializer stay as Orleans built them.
    /// Wrappers must forward <see cref="ILifecycleParticipant{TLifecycleObservable}"/>.
    /// </summary>
    private static void DecorateGrainStorage(IServiceCollection services, string name, Func<IServiceProvider, IGrainStorage, IGrainStorage> wrap)
    {
        var original = services.LastOrDefault(d =>
            d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name))
            ?? throw new InvalidOperationException($"No grain storage named '{name}' was registered to wrap.");
        var factory = original.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"Grain storage '{name}' is not registered through a factory.");
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) => wrap(sp, (IGrainStorage)factory(sp, key)));
    }

    /// <summary>Runs the schema installer at RuntimeInitialize, before storage and reminders start.</summary>
    private sealed class SchemaInstallParticipant(DatabaseDriver driver, string connectionString)
        : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(
                nameof(SchemaInstallParticipant),
                ServiceLifecycleStage.RuntimeInitialize,
                ct => SchemaInstaller.InstallAsync(driver, connectionString, reapplyAll: false, ct));
    }
}
