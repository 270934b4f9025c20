using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansTracker.Grains;
using OrleansTracker.Silo.Persistence;
using Xunit;

namespace OrleansTracker.Tests.Persistence;

/// <summary>
/// The behaviours every storage engine must show. Each engine's test class declares the facts
/// (so MariaDB can be skipped by attribute) and calls these.
/// </summary>
public abstract class PersistenceConformance(IDatabaseEngine engine)
{
    protected IDatabaseEngine Engine { get; } = engine;

    /// <summary>Counts rows of a table straight from the database, bypassing Orleans.</summary>
    protected abstract Task<long> CountRowsAsync(DatabaseSettings settings, string table);

    protected static async Task<InProcessTestCluster> StartClusterAsync(DatabaseSettings settings, string serviceId)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) => silo.AddTrackerStorage(settings));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    protected static IGrainStorage TorrentStorage(InProcessTestCluster cluster) =>
        cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Torrents);

    protected async Task Write_survives_a_cluster_restart_core()
    {
        var settings = Engine.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");
        await using (var cluster = await StartClusterAsync(settings, serviceId))
        {
            var grain = cluster.Client.GetGrain<IPersistentCounterGrain>("a");
            await grain.Increment();
            Assert.Equal(2, await grain.Increment());
            Assert.Equal("2", await grain.ETag());
        }

        await using (var cluster = await StartClusterAsync(settings, serviceId))
        {
            var grain = cluster.Client.GetGrain<IPersistentCounterGrain>("a");
            Assert.Equal(2, await grain.Current());
            Assert.Equal(3, await grain.Increment());
            Assert.Equal(0, await cluster.Client.GetGrain<IPersistentCounterGrain>("other").Current());
        }

        Assert.Equal(1, await CountRowsAsync(settings, "OrleansStorage"));
    }

    protected async Task Concurrent_first_writes_and_stale_writes_conflict_core()
    {
        await using var cluster = await StartClusterAsync(Engine.NewDatabase(), Guid.NewGuid().ToString("N"));
        var storage = TorrentStorage(cluster);
        var id = GrainId.Create("conformance", "k1");

        var first = new GrainState<CounterState>(new CounterState { Value = 1 });
        var second = new GrainState<CounterState>(new CounterState { Value = 2 });
        await storage.WriteStateAsync("CounterGrain", id, first);
        Assert.Equal("1", first.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("CounterGrain", id, second));

        var stale = new GrainState<CounterState>(new CounterState { Value = 3 }) { ETag = first.ETag, RecordExists = true };
        await storage.WriteStateAsync("CounterGrain", id, first);
        Assert.Equal("2", first.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("CounterGrain", id, stale));

        var missing = new GrainState<CounterState>(new CounterState()) { ETag = "7", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("CounterGrain", GrainId.Create("conformance", "never-written"), missing));

        var read = new GrainState<CounterState>();
        await storage.ReadStateAsync("CounterGrain", id, read);
        Assert.Equal(1, read.State!.Value);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
    }

    protected async Task Clear_resets_the_state_and_keeps_versioning_core()
    {
        var settings = Engine.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");
        await using (var cluster = await StartClusterAsync(settings, serviceId))
        {
            var grain = cluster.Client.GetGrain<IPersistentCounterGrain>("c");
            await grain.Increment();
            await grain.Increment();
            await grain.Clear();
            Assert.Equal(0, await grain.Current());
            Assert.Equal("3", await grain.ETag());

            var storage = TorrentStorage(cluster);
            var id = GrainId.Create("conformance", "clear");
            var state = new GrainState<CounterState>(new CounterState { Value = 5 });
            await storage.WriteStateAsync("CounterGrain", id, state);
            var stale = new GrainState<CounterState>(new CounterState()) { ETag = "9", RecordExists = true };
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("CounterGrain", id, stale));
        }

        await using (var cluster = await StartClusterAsync(settings, serviceId))
        {
            var grain = cluster.Client.GetGrain<IPersistentCounterGrain>("c");
            Assert.Equal(0, await grain.Current());
            Assert.Equal(1, await grain.Increment());
        }
    }

    protected async Task Reminders_are_stored_in_the_database_core()
    {
        var settings = Engine.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");
        GrainId grainId;
        await using (var cluster = await StartClusterAsync(settings, serviceId))
        {
            var grain = cluster.Client.GetGrain<IPersistentCounterGrain>("r");
            await grain.RegisterReminder("sweep");
            await grain.RegisterReminder("sweep");
            Assert.True(await grain.HasReminder("sweep"));
            Assert.False(await grain.HasReminder("other"));
            grainId = grain.GetGrainId();

            var table = cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
            var row = await table.ReadRow(grainId, "sweep");
            Assert.NotNull(row);
            Assert.Equal(TimeSpan.FromHours(1), row.Period);
            Assert.Equal("2", row.ETag);
            Assert.Single((await table.ReadRows(grainId)).Reminders);
            Assert.Single((await table.ReadRows(0, 0)).Reminders); // the whole ring, wrapping
            var hash = grainId.GetUniformHashCode();
            Assert.Single((await table.ReadRows(hash - 1, hash)).Reminders);
            Assert.Empty((await table.ReadRows(hash, hash + 1)).Reminders);

            var tempo = await table.UpsertRow(new ReminderEntry
            {
                GrainId = grainId, ReminderName = "temp", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(5),
            });
            Assert.False(await table.RemoveRow(grainId, "temp", "999"));
            Assert.True(await table.RemoveRow(grainId, "temp", tempo!));
        }

        await using (var cluster = await StartClusterAsync(settings, serviceId))
        {
            var grain = cluster.Client.GetGrain<IPersistentCounterGrain>("r");
            Assert.True(await grain.HasReminder("sweep"));
        }

        Assert.Equal(1, await CountRowsAsync(settings, "OrleansRemindersTable"));
    }

    protected async Task Schema_scripts_rerun_harmlessly_and_record_versions_core(Func<DatabaseSettings, Task<IReadOnlyList<int>>> readVersions)
    {
        var settings = Engine.NewDatabase();
        var driver = settings.ParsedDriver;
        var connectionString = settings.ToConnectionString();
        var expected = SchemaInstaller.GetScripts(driver).Select(s => s.Version).ToArray();
        Assert.Equal(3, expected.Intersect([1, 2, 3]).Count());

        Assert.Equal(expected, await SchemaInstaller.InstallAsync(driver, connectionString));
        Assert.Empty(await SchemaInstaller.InstallAsync(driver, connectionString));
        Assert.Equal(expected, await SchemaInstaller.InstallAsync(driver, connectionString, reapplyAll: true));
        Assert.Equal(expected, await SchemaInstaller.InstallAsync(driver, connectionString, reapplyAll: true));
        Assert.Equal(expected, await readVersions(settings));

        // The silo runs the installer again on start; storage still works afterwards.
        await using var cluster = await StartClusterAsync(settings, "schema");
        Assert.Equal(1, await cluster.Client.GetGrain<IPersistentCounterGrain>("s").Increment());
    }
}
