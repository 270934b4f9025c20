using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrleansTracker.Silo.Persistence;
using Xunit;

namespace OrleansTracker.Tests.Persistence;

public sealed class SqlitePersistenceTests(SqliteEngine engine) : PersistenceConformance(engine), IClassFixture<SqliteEngine>
{
    protected override Task<long> CountRowsAsync(DatabaseSettings settings, string table)
    {
        using var connection = new SqliteConnection(settings.ToConnectionString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    [Fact]
    public Task write_survives_a_cluster_restart() => Write_survives_a_cluster_restart_core();

    [Fact]
    public Task concurrent_first_writes_and_stale_writes_conflict() => Concurrent_first_writes_and_stale_writes_conflict_core();

    [Fact]
    public Task clear_resets_the_state_and_keeps_versioning() => Clear_resets_the_state_and_keeps_versioning_core();

    [Fact]
    public Task reminders_are_stored_in_the_database() => Reminders_are_stored_in_the_database_core();

    [Fact]
    public Task schema_scripts_rerun_harmlessly_and_record_versions() =>
        Schema_scripts_rerun_harmlessly_and_record_versions_core(settings =>
        {
            using var connection = new SqliteConnection(settings.ToConnectionString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT version FROM schema_version ORDER BY version";
            using var reader = command.ExecuteReader();
            var versions = new List<int>();
            while (reader.Read())
            {
                versions.Add(reader.GetInt32(0));
            }

            return Task.FromResult<IReadOnlyList<int>>(versions);
        });

    [Fact]
    public async Task installer_creates_the_file_in_wal_mode()
    {
        var settings = Engine.NewDatabase();
        var path = new SqliteConnectionStringBuilder(settings.ToConnectionString()).DataSource;
        Assert.False(File.Exists(path));
        await SchemaInstaller.InstallAsync(settings);
        Assert.True(File.Exists(path));
        using var connection = new SqliteConnection(settings.ToConnectionString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task corrupted_file_gives_an_error_naming_the_file_and_the_cause()
    {
        var settings = Engine.NewDatabase();
        var path = new SqliteConnectionStringBuilder(settings.ToConnectionString()).DataSource;
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(path, garbage);

        var error = await Assert.ThrowsAsync<DatabaseException>(() => SchemaInstaller.InstallAsync(settings));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid SQLite database or is corrupted", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    /// <summary>
    /// Another connection holds the write lock while 200 grains write. With the gate only one of
    /// them occupies a thread (sleeping in SQLite's busy wait); the rest wait asynchronously, so an
    /// unrelated grain still answers at once and the thread pool has no backlog. Once the lock
    /// goes, every write lands.
    /// </summary>
    [Fact]
    public async Task a_held_sqlite_lock_does_not_stall_unrelated_grains()
    {
        var settings = Engine.NewDatabase();
        await using var cluster = await StartClusterAsync(settings, Guid.NewGuid().ToString("N"));
        var grains = Enumerable.Range(0, 200).Select(i => cluster.Client.GetGrain<IPersistentCounterGrain>($"g{i}")).ToArray();
        await Task.WhenAll(grains.Select(g => g.Current())); // activate (reads) before the lock is taken
        var ping = cluster.Client.GetGrain<IPingGrain>(1);
        await ping.Ping();

        Task<long[]> writes;
        await using (var blocker = new SqliteConnection(settings.ToConnectionString()))
        {
            blocker.Open();
            using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                begin.ExecuteNonQuery();
            }

            writes = Task.WhenAll(grains.Select(g => g.Increment()));
            // A fixed wait, one of the few: the writes park inside SQLite's busy wait, which
            // exposes no counter to wait on; 300 ms lets them all reach the lock.
            await Task.Delay(300);
            Assert.False(writes.IsCompleted);

            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(42, await cluster.Client.GetGrain<IPingGrain>(i).Ping());
            }

            stopwatch.Stop();
            // The sharper signal: without the gate the blocked writers leave ~180 work items
            // queued behind parked pool threads (measured), for as long as the lock is held; with
            // it the queue is empty. The pool is shared with test classes running in parallel, whose
            // bursts come and go: the least of five reads 20 ms apart is the writers' backlog.
            var pending = long.MaxValue;
            for (var read = 0; read < 5; read++, await Task.Delay(20))
                pending = Math.Min(pending, ThreadPool.PendingWorkItemCount);
            Assert.True(pending < 50, $"{pending} thread-pool work items queued behind blocked SQLite writers");
            // Stalled, they would wait for the writers' lock (held until the end of the test); 10 s
            // leaves a loaded machine room and still tells the two apart.
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"unrelated grain calls took {stopwatch.Elapsed}");
            Assert.False(writes.IsCompleted);

            using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        var results = await writes.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, value => Assert.Equal(1, value));
    }
}
