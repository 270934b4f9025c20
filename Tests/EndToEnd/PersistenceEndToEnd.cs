using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// Completed counts across restarts of the real tracker process, over real UDP. Each engine's test
/// class declares the facts (so MariaDB can be skipped by attribute) and calls these. Every tracker
/// gets its own temp folder (and, for SQLite, data.db inside it) and is killed at the end.
/// </summary>
public abstract partial class PersistenceEndToEnd(ITrackerDatabase database, ITestOutputHelper output)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    protected ITrackerDatabase Database { get; } = database;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>A config template for <see cref="TrackerProcess"/>: UDP on loopback only, no HTTP, no API.</summary>
    public static string Config(string driver, string dbPath, bool persistence, int persistenceInterval, string logLevel = "info") => $$"""
        log_level = "{{logLevel}}"
        mode = "public"
        persistence = {{(persistence ? "true" : "false")}}
        db_driver = "{{driver}}"
        db_path = "{{dbPath}}"
        persistence_interval = {{persistenceInterval.ToString(CultureInfo.InvariantCulture)}}
        announce_interval = 120
        announce_interval_min = 60
        peer_timeout = 900
        cleanup_interval = 600
        max_numwant = 74
        """ + ConfigTemplates.LoopbackListeners(http: false, api: false);

    protected async Task Restart_keeps_completed_counts_core()
    {
        var directory = NewDirectory();
        try
        {
            var config = Config(Database.Driver, Database.NewDbPath(directory), persistence: true, persistenceInterval: 60);
            var hashes = new[] { TestPeers.NewInfoHash(), TestPeers.NewInfoHash(), TestPeers.NewInfoHash() };
            await using (var tracker = await TrackerProcess.StartAsync(config, directory))
            {
                using var client = await ConnectAsync(tracker);
                for (var t = 0; t < hashes.Length; t++)
                {
                    for (var peer = 0; peer <= t; peer++)
                        await CompleteAsync(client, hashes[t], TestPeers.NewPeerId(), (ushort)(6881 + peer));
                }

                // Live: every completer is still a seeder. persistence_interval is 60 s, so nothing
                // but the graceful shutdown below writes these counts.
                Assert.Equal([(1, 1, 0), (2, 2, 0), (3, 3, 0)], await client.ScrapeAsync(hashes));
                Assert.Equal(0, await tracker.StopAsync(StopTimeout));
            }

            await using (var restarted = await TrackerProcess.StartAsync(config, directory, TrackerPorts.Allocate()))
            {
                using var client = await ConnectAsync(restarted);
                // Peers are gone (memory only); completed counts came back from the database.
                Assert.Equal([(0, 1, 0), (0, 2, 0), (0, 3, 0)], await client.ScrapeAsync(hashes));
                Assert.Equal(0, await restarted.StopAsync(StopTimeout));
            }
        }
        finally
        {
            DeleteDirectory(directory);
        }
    }

    protected async Task Kill_9_loses_at_most_one_interval_core()
    {
        const int interval = 2;
        var directory = NewDirectory();
        try
        {
            var dbPath = Database.NewDbPath(directory);
            var config = Config(Database.Driver, dbPath, persistence: true, persistenceInterval: interval);
            var a = TestPeers.NewInfoHash();
            var b = TestPeers.NewInfoHash();
            await using (var tracker = await TrackerProcess.StartAsync(config, directory))
            {
                using var client = await ConnectAsync(tracker);
                await CompleteAsync(client, a, TestPeers.NewPeerId(), 6881);

                // A's row must appear within one interval (plus slack); wait at most ten intervals.
                var stopwatch = Stopwatch.StartNew();
                await Eventually.Until(() => Database.CountStoredTorrentsAsync(dbPath), stored => stored >= 1,
                    $"torrent A written (tracker output: {tracker.Output.Length} chars)", TimeSpan.FromSeconds(10 * interval));
                Output.WriteLine($"A written {stopwatch.ElapsedMilliseconds} ms after its completed announce");

                await CompleteAsync(client, b, TestPeers.NewPeerId(), 6882);
                tracker.Kill();
                Assert.NotEqual(0, await tracker.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            }

            await using (var restarted = await TrackerProcess.StartAsync(config, directory, TrackerPorts.Allocate()))
            {
                using var client = await ConnectAsync(restarted);
                var counts = await client.ScrapeAsync(a, b);
                Assert.Equal((0, 1, 0), counts[0]);
                Assert.Equal(0, counts[1].Seeders);
                Assert.InRange(counts[1].Completed, 0, 1);
                Output.WriteLine($"B after kill -9: completed {counts[1].Completed} ({(counts[1].Completed == 0 ? "lost, within the bound" : "kept")})");
                Assert.Equal(0, await restarted.StopAsync(StopTimeout));
            }
        }
        finally
        {
            DeleteDirectory(directory);
        }
    }

    protected async Task Persistence_off_keeps_nothing_core()
    {
        var directory = NewDirectory();
        try
        {
            var dbPath = Database.NewDbPath(directory);
            var config = Config(Database.Driver, dbPath, persistence: false, persistenceInterval: 1);
            var hash = TestPeers.NewInfoHash();
            await using (var tracker = await TrackerProcess.StartAsync(config, directory))
            {
                using var client = await ConnectAsync(tracker);
                await CompleteAsync(client, hash, TestPeers.NewPeerId(), 6881);
                await CompleteAsync(client, hash, TestPeers.NewPeerId(), 6882);
                Assert.Equal((2, 2, 0), (await client.ScrapeAsync(hash))[0]);
                // A fixed wait, one of the few: nothing must happen, so there is no event to wait for
                // (with persistence off no flush timer runs); two would-be flush intervals go by.
                await Task.Delay(TimeSpan.FromSeconds(2.5));
                Assert.Equal(0, await tracker.StopAsync(StopTimeout));
            }

            await using (var restarted = await TrackerProcess.StartAsync(config, directory, TrackerPorts.Allocate()))
            {
                using var client = await ConnectAsync(restarted);
                Assert.Equal((0, 0, 0), (await client.ScrapeAsync(hash))[0]);
                Assert.Equal(0, await restarted.StopAsync(StopTimeout));
            }

            Assert.False(await Database.ExistsAsync(dbPath), $"persistence = false created the database {dbPath}");
        }
        finally
        {
            DeleteDirectory(directory);
        }
    }

    internal static async Task<UdpTrackerClient> ConnectAsync(TrackerProcess tracker, TimeSpan? timeout = null)
    {
        var client = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, tracker.Ports.Udp), timeout);
        try
        {
            await client.ConnectAsync();
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>started then completed: the swarm counts a completion only for a peer it knows.</summary>
    internal static async Task CompleteAsync(UdpTrackerClient client, byte[] hash, byte[] peerId, ushort port)
    {
        await client.AnnounceAsync(hash, peerId, port, left: 1000, udpEvent: 2);
        await client.AnnounceAsync(hash, peerId, port, left: 0, udpEvent: 1);
    }

    internal static string NewDirectory() => Directory.CreateTempSubdirectory("orleans-tracker-persist-").FullName;

    internal static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}
