using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// The persistence end-to-end classes run one at a time and after the parallel tests: each starts
/// tracker processes, and the latency test's figures mean nothing while other suites load the CPU.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PersistenceEndToEndCollection
{
    public const string Name = "Persistence end-to-end (serial)";
}

/// <summary>The end-to-end persistence behaviours on a SQLite file in the tracker's folder.</summary>
[Collection(PersistenceEndToEndCollection.Name)]
public sealed class SqlitePersistenceEndToEndTests(ITestOutputHelper output)
    : PersistenceEndToEnd(new SqliteTrackerDatabase(), output)
{
    [Fact]
    public Task restart_keeps_completed_counts() => Restart_keeps_completed_counts_core();

    [Fact]
    public Task kill_9_loses_at_most_one_interval() => Kill_9_loses_at_most_one_interval_core();

    [Fact]
    public Task persistence_off_keeps_nothing_and_creates_no_file() => Persistence_off_keeps_nothing_core();

    [Fact]
    public Task announces_do_not_stall_while_10k_counts_flush() => PersistenceLatency.RunAsync(Database, Output);

    [Fact]
    public Task restart_lists_only_the_newest_idle_torrents() => Restart_lists_only_the_newest_idle_torrents_core();
}

/// <summary>The same behaviours on a private MariaDB server (skipped when mariadbd is absent, unless CI=true).</summary>
[Collection(PersistenceEndToEndCollection.Name)]
public sealed class MariaDbPersistenceEndToEndTests(MariaDbTrackerDatabase database, ITestOutputHelper output)
    : PersistenceEndToEnd(database, output), IClassFixture<MariaDbTrackerDatabase>
{
    [MariaDbFact]
    public Task restart_keeps_completed_counts() => Restart_keeps_completed_counts_core();

    [MariaDbFact]
    public Task kill_9_loses_at_most_one_interval() => Kill_9_loses_at_most_one_interval_core();

    [MariaDbFact]
    public Task persistence_off_keeps_nothing_and_creates_no_database() => Persistence_off_keeps_nothing_core();

    [MariaDbFact]
    public Task announces_do_not_stall_while_10k_counts_flush() => PersistenceLatency.RunAsync(Database, Output);

    [MariaDbFact]
    public Task restart_lists_only_the_newest_idle_torrents() => Restart_lists_only_the_newest_idle_torrents_core();
}

/// <summary>A database that cannot be used stops the start with a message naming it, in bounded time.</summary>
public sealed class PersistenceStartupFailureTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task corrupted_sqlite_file_exits_non_zero_naming_the_file()
    {
        var directory = PersistenceEndToEnd.NewDirectory();
        try
        {
            var dbPath = Path.Combine(directory, "data.db");
            var garbage = new byte[8192];
            new Random(11).NextBytes(garbage);
            await File.WriteAllBytesAsync(dbPath, garbage);

            var (exitCode, output) = await RunUntilExitAsync(directory, PersistenceEndToEnd.Config("sqlite3", dbPath, persistence: true, persistenceInterval: 60));
            Assert.True(exitCode is not 0 and not 134, $"exit code {exitCode}:\n{output}");
            Assert.Contains($"SQLite database '{dbPath}'", output, StringComparison.Ordinal);
            Assert.Contains("not a valid SQLite database or is corrupted", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // a message, not a stack trace
            Assert.Equal(garbage, await File.ReadAllBytesAsync(dbPath)); // left alone for the operator
        }
        finally
        {
            PersistenceEndToEnd.DeleteDirectory(directory);
        }
    }

    [Fact]
    public async Task unreachable_mysql_exits_non_zero_naming_the_server()
    {
        var directory = PersistenceEndToEnd.NewDirectory();
        try
        {
            var port = MariaDbServer.FreeTcpPort(); // nothing listens there
            var url = $"mysql://tracker:secret@127.0.0.1:{port}/tracker";

            var (exitCode, output) = await RunUntilExitAsync(directory, PersistenceEndToEnd.Config("mysql", url, persistence: true, persistenceInterval: 60));
            Assert.True(exitCode is not 0 and not 134, $"exit code {exitCode}:\n{output}");
            Assert.Contains($"MySQL server 127.0.0.1:{port}", output, StringComparison.Ordinal);
            Assert.Contains("Unable to connect", output, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
        finally
        {
            PersistenceEndToEnd.DeleteDirectory(directory);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string directory, string template)
    {
        var ports = TrackerPorts.Allocate();
        var configPath = Path.Combine(directory, "config.toml");
        await File.WriteAllTextAsync(configPath, TrackerProcess.Fill(template, directory, ports, ("", "")));
        await using var tracker = TrackerProcess.StartRaw(directory, ports, "--config", configPath);
        var exitCode = await tracker.WaitForExitAsync(ExitTimeout);
        return (exitCode, tracker.Output);
    }
}
