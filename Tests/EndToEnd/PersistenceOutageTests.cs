using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// A database that becomes unusable while the real tracker runs: announces keep being answered from
/// memory, the failed writes are logged and retried, nothing crashes, and once the database is back
/// the counts are written without any new announce.
/// </summary>
[Collection(PersistenceEndToEndCollection.Name)]
public sealed partial class PersistenceOutageTests(ITestOutputHelper output)
{
    private const int Interval = 1;
    private const string PartitionWarning = "completed counts could not be saved";
    private const string GrainWarning = "Could not save the completed count of";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The persistence config with the HTTP tracker on its own free loopback port: with no HTTP
    /// endpoint at all Kestrel falls back to its default 127.0.0.1:5000, and the start fails when
    /// anything else on the machine holds that port.
    /// </summary>
    private static string Config(string driver, string dbPath) =>
        PersistenceEndToEnd.Config(driver, dbPath, persistence: true, persistenceInterval: Interval)
            .Replace("[[http_trackers]]\nenabled = false", "[[http_trackers]]\nenabled = true", StringComparison.Ordinal);

    [MariaDbFact]
    public async Task MariaDb_outage_at_run_time_is_logged_retried_and_announces_keep_working()
    {
        using var server = new MariaDbServer();
        var directory = PersistenceEndToEnd.NewDirectory();
        try
        {
            var url = server.DatabaseUrl("tracker_outage");
            var connectionString = server.ConnectionString("tracker_outage");
            var config = Config("mysql", url);
            var a = TestPeers.NewInfoHash();
            var b = TestPeers.NewInfoHash();
            var c = TestPeers.NewInfoHash();
            var fresh = TestPeers.NewInfoHash();
            var bPeer = TestPeers.NewPeerId();
            await using (var tracker = await TrackerProcess.StartAsync(config, directory))
            {
                using var client = await PersistenceEndToEnd.ConnectAsync(tracker);
                await PersistenceEndToEnd.CompleteAsync(client, a, TestPeers.NewPeerId(), 6881);
                await PersistenceEndToEnd.CompleteAsync(client, c, TestPeers.NewPeerId(), 6881);
                await WaitForStoredAsync(() => StoredMySqlAsync(connectionString, a), 1, TimeSpan.FromSeconds(20), "A before the outage", tracker);
                await WaitForStoredAsync(() => StoredMySqlAsync(connectionString, c), 1, TimeSpan.FromSeconds(20), "C before the outage", tracker);
                // B is active (one leecher) before the outage; it completes during it.
                await client.AnnounceAsync(b, bPeer, 6882, left: 1000, udpEvent: 2);

                server.Kill();
                var outage = Stopwatch.StartNew();

                // A full connect/announce/scrape still works, answered from memory.
                using (var during = await PersistenceEndToEnd.ConnectAsync(tracker))
                {
                    var answer = await during.AnnounceAsync(a, TestPeers.NewPeerId(), 6883, left: 1000, udpEvent: 2);
                    Assert.Equal(1, answer.Seeders);
                    await during.AnnounceAsync(b, bPeer, 6882, left: 0, udpEvent: 1);
                    Assert.Equal([(1, 1, 1), (1, 1, 0)], await during.ScrapeAsync(a, b));
                }

                await WaitForOutputAsync(tracker, GrainWarning, TimeSpan.FromSeconds(20));
                await WaitForOutputAsync(tracker, PartitionWarning, TimeSpan.FromSeconds(20));

                // A torrent first seen during the outage: its activation cannot read its stored
                // count; it must still be served (and complete).
                var freshStopwatch = Stopwatch.StartNew();
                await PersistenceEndToEnd.CompleteAsync(client, fresh, TestPeers.NewPeerId(), 6884);
                output.WriteLine($"new torrent during the outage: started and completed in {freshStopwatch.ElapsedMilliseconds} ms");
                // Blocked behind the outage it would take the storage's 30 s command timeout; 10 s
                // leaves a loaded machine room and still tells the two apart.
                Assert.True(freshStopwatch.Elapsed < TimeSpan.FromSeconds(10), $"new torrent took {freshStopwatch.ElapsedMilliseconds} ms");
                Assert.Equal((1, 1, 0), (await client.ScrapeAsync(fresh))[0]);

                // A fixed wait, one of the few: the outage itself is a stretch of time (several flush
                // ticks fail against the stopped server); no event marks its end but the clock.
                var remaining = TimeSpan.FromSeconds(3.5 * Interval) - outage.Elapsed;
                if (remaining > TimeSpan.Zero)
                    await Task.Delay(remaining);
                Assert.False(tracker.HasExited, $"the tracker exited during the outage:\n{tracker.Output}");
                Assert.Equal([(1, 1, 1), (1, 1, 0)], await client.ScrapeAsync(a, b));
                Assert.Equal(-1, await StoredOrMinusOneAsync(() => StoredMySqlAsync(connectionString, b))); // still down

                output.WriteLine($"outage lasted {outage.ElapsedMilliseconds} ms; restarting mariadbd");
                server.Restart();
                // Written by the partition's retry: no announce after the restart.
                await WaitForStoredAsync(() => StoredMySqlAsync(connectionString, b), 1, TimeSpan.FromSeconds(30), "B after the outage", tracker);
                await WaitForStoredAsync(() => StoredMySqlAsync(connectionString, fresh), 1, TimeSpan.FromSeconds(30), "the new torrent after the outage", tracker);
                Assert.Equal(1, await StoredMySqlAsync(connectionString, a));
                Assert.Equal(0, await tracker.StopAsync(StopTimeout));
                output.WriteLine(Warnings(tracker.Output));
            }

            await using (var restarted = await TrackerProcess.StartAsync(config, directory, TrackerPorts.Allocate()))
            {
                using var client = await PersistenceEndToEnd.ConnectAsync(restarted);
                Assert.Equal([(0, 1, 0), (0, 1, 0), (0, 1, 0)], await client.ScrapeAsync(a, b, fresh));

                // C (stored 1) is activated while the server is down: it counts from 0, and once
                // the server is back its stored count is read and merged, never overwritten.
                server.Kill();
                await PersistenceEndToEnd.CompleteAsync(client, c, TestPeers.NewPeerId(), 6885);
                Assert.Equal((1, 1, 0), (await client.ScrapeAsync(c))[0]);
                await WaitForOutputAsync(restarted, GrainWarning, TimeSpan.FromSeconds(20));
                server.Restart();
                await WaitForStoredAsync(() => StoredMySqlAsync(connectionString, c), 2, TimeSpan.FromSeconds(30), "C merged after the second outage", restarted);
                Assert.Equal((1, 2, 0), (await client.ScrapeAsync(c))[0]);
                Assert.Equal(0, await restarted.StopAsync(StopTimeout));
                output.WriteLine(Warnings(restarted.Output));
            }

            await using (var third = await TrackerProcess.StartAsync(config, directory, TrackerPorts.Allocate()))
            {
                using var client = await PersistenceEndToEnd.ConnectAsync(third);
                Assert.Equal([(0, 1, 0), (0, 1, 0), (0, 2, 0), (0, 1, 0)], await client.ScrapeAsync(a, b, c, fresh));
                Assert.Equal(0, await third.StopAsync(StopTimeout));
            }
        }
        finally
        {
            PersistenceEndToEnd.DeleteDirectory(directory);
        }
    }

    [Fact]
    public async Task sqlite_lock_held_at_run_time_does_not_stall_announces_and_the_count_is_written_later()
    {
        var directory = PersistenceEndToEnd.NewDirectory();
        try
        {
            var dbPath = Path.Combine(directory, "data.db");
            var config = Config("sqlite3", dbPath);
            var a = TestPeers.NewInfoHash();
            var b = TestPeers.NewInfoHash();
            var fresh = TestPeers.NewInfoHash();
            var bPeer = TestPeers.NewPeerId();
            await using (var tracker = await TrackerProcess.StartAsync(config, directory))
            {
                using var client = await PersistenceEndToEnd.ConnectAsync(tracker);
                await PersistenceEndToEnd.CompleteAsync(client, a, TestPeers.NewPeerId(), 6881);
                await WaitForStoredAsync(() => StoredSqliteAsync(dbPath, a), 1, TimeSpan.FromSeconds(20), "A before the lock", tracker);
                await client.AnnounceAsync(b, bPeer, 6882, left: 1000, udpEvent: 2);

                await using (var blocker = new SqliteConnection(SqliteConnectionString(dbPath)))
                {
                    await blocker.OpenAsync();
                    await using (var begin = blocker.CreateCommand())
                    {
                        begin.CommandText = "BEGIN EXCLUSIVE";
                        await begin.ExecuteNonQueryAsync();
                    }

                    var held = Stopwatch.StartNew();
                    await TimedAsync(() => client.AnnounceAsync(b, bPeer, 6882, left: 0, udpEvent: 1), "B completed");
                    // Several flush ticks go by: B's write waits behind the lock; announces (B's
                    // included) and a torrent first seen now must still be answered at once.
                    var i = 0;
                    while (held.Elapsed < TimeSpan.FromSeconds(4 * Interval))
                    {
                        await TimedAsync(() => client.AnnounceAsync(a, TestPeers.NewPeerId(), (ushort)(7000 + i), left: 1000, udpEvent: 2), "A");
                        await TimedAsync(() => client.AnnounceAsync(b, bPeer, 6882, left: 0), "B");
                        await TimedAsync(() => client.AnnounceAsync(fresh, TestPeers.NewPeerId(), (ushort)(8000 + i), left: 1000, udpEvent: 2), "new torrent");
                        await TimedAsync(() => client.ScrapeAsync(a, b), "scrape");
                        i++;
                        await Task.Delay(200);   // paces the rounds (load, not a wait)
                    }

                    Assert.Equal((1, 1, 0), (await client.ScrapeAsync(b))[0]);
                    Assert.Equal(0, await StoredSqliteAsync(dbPath, b, blocker));
                    Assert.False(tracker.HasExited, tracker.Output);
                    await using var rollback = blocker.CreateCommand();
                    rollback.CommandText = "ROLLBACK";
                    await rollback.ExecuteNonQueryAsync();
                }

                await WaitForStoredAsync(() => StoredSqliteAsync(dbPath, b), 1, TimeSpan.FromSeconds(45), "B after the lock", tracker);
                Assert.Equal(0, await tracker.StopAsync(StopTimeout));
                output.WriteLine(Warnings(tracker.Output));
            }

            await using (var restarted = await TrackerProcess.StartAsync(config, directory, TrackerPorts.Allocate()))
            {
                using var client = await PersistenceEndToEnd.ConnectAsync(restarted);
                Assert.Equal([(0, 1, 0), (0, 1, 0)], await client.ScrapeAsync(a, b));
                Assert.Equal(0, await restarted.StopAsync(StopTimeout));
            }
        }
        finally
        {
            PersistenceEndToEnd.DeleteDirectory(directory);
        }
    }

    private static async Task TimedAsync<T>(Func<Task<T>> call, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        await call();
        // A call that waited for the write would wait for the ROLLBACK, 4 s after the lock was
        // taken (SQLite's busy wait is 30 s): the first calls, B's completion among them, would
        // take 2 s or more. Answered from memory they take ~1 ms; 2 s leaves a loaded machine's
        // pauses (GC, thread injection) their room while a stall still fails.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"{what} took {stopwatch.ElapsedMilliseconds} ms while the lock was held");
    }

    private async Task WaitForStoredAsync(Func<Task<long>> read, long expected, TimeSpan timeout, string what, TrackerProcess tracker)
    {
        var stopwatch = Stopwatch.StartNew();
        await Eventually.Equal(expected, async () =>
        {
            try
            {
                return await read();
            }
            catch (Exception e) when (e is MySqlException or SqliteException)
            {
                return -1;
            }
        }, $"{what} (tracker alive: {!tracker.HasExited})", timeout);
        output.WriteLine($"{what}: stored {expected} after {stopwatch.ElapsedMilliseconds} ms");
    }

    private static async Task<long> StoredOrMinusOneAsync(Func<Task<long>> read)
    {
        try
        {
            return await read();
        }
        catch (MySqlException)
        {
            return -1;
        }
    }

    private static async Task WaitForOutputAsync(TrackerProcess tracker, string text, TimeSpan timeout)
    {
        await Eventually.True(() =>
        {
            Assert.False(tracker.HasExited, $"the tracker exited:\n{tracker.Output}");
            return Task.FromResult(tracker.Output.Contains(text, StringComparison.Ordinal));
        }, $"the tracker logging \"{text}\"", timeout);
    }

    private static string Warnings(string output) =>
        string.Join('\n', output.Split('\n').Where(l => l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)).Take(20));

    private static string SqliteConnectionString(string dbPath) => new SqliteConnectionStringBuilder
    {
        DataSource = dbPath,
        Mode = SqliteOpenMode.ReadWrite,
        Pooling = false,
        DefaultTimeout = 5,
    }.ConnectionString;

    /// <summary>The stored completed count of <paramref name="hash"/> (0 when it has no row).</summary>
    private static async Task<long> StoredMySqlAsync(string connectionString, byte[] hash)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = @key", connection);
        command.Parameters.AddWithValue("@key", Convert.ToHexStringLower(hash));
        return Completed(await command.ExecuteScalarAsync());
    }

    private static async Task<long> StoredSqliteAsync(string dbPath, byte[] hash, SqliteConnection? open = null)
    {
        await using var owned = open is null ? new SqliteConnection(SqliteConnectionString(dbPath)) : null;
        var connection = open ?? owned!;
        if (open is null)
            await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = @key";
        command.Parameters.AddWithValue("@key", Convert.ToHexStringLower(hash));
        return Completed(await command.ExecuteScalarAsync());
    }

    private static long Completed(object? payload)
    {
        if (payload is null or DBNull)
            return 0;
        var text = Encoding.UTF8.GetString((byte[])payload);
        var match = CompletedField().Match(text);
        return match.Success
            ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"no completed count in the stored payload: {text}");
    }

    [GeneratedRegex("\"Completed\"\\s*:\\s*(\\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex CompletedField();
}
