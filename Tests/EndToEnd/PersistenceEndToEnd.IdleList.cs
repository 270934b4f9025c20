using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Admin;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// max_idle_torrents_listed at start: a database grown by many stored torrents (as a flood of
/// started+completed announces with random hashes leaves it) fills the torrent list only up to the
/// cap, with the most recently written ones, and no completed count is lost for the rest.
/// </summary>
public abstract partial class PersistenceEndToEnd
{
    private const int ListedCap = 32;   // two per sweep partition
    private const int OldTorrents = 48;

    protected async Task Restart_lists_only_the_newest_idle_torrents_core()
    {
        var directory = NewDirectory();
        try
        {
            var dbPath = Database.NewDbPath(directory);
            var config = $"""
                log_level = "info"
                mode = "public"
                persistence = true
                db_driver = "{Database.Driver}"
                db_path = "{dbPath}"
                persistence_interval = 1
                """ + ConfigTemplates.LoopbackListeners("admin", AdminTrackerFixture.Token) + $"""

                [limits]
                max_idle_torrents_listed = {ListedCap}

                """;
            var old = Enumerable.Range(0, OldTorrents).Select(_ => TestPeers.NewInfoHash()).ToArray();
            var newest = OnePerPartition();
            await using (var tracker = await TrackerProcess.StartAsync(config, directory))
            {
                using var client = await ConnectAsync(tracker);
                foreach (var hash in old)
                    await CompleteAsync(client, hash, TestPeers.NewPeerId(), 6881);
                await Eventually.Until(() => Database.CountStoredTorrentsAsync(dbPath), n => n >= OldTorrents, $"{OldTorrents} rows written", TimeSpan.FromSeconds(30));
                // A fixed wait, one of the few: the newest rows must carry a strictly later
                // timestamp than these, and only the clock advances it.
                await Task.Delay(50);
                foreach (var hash in newest)
                    await CompleteAsync(client, hash, TestPeers.NewPeerId(), 6882);
                Assert.Equal(0, await tracker.StopAsync(StopTimeout));
            }
            Assert.Equal(OldTorrents + newest.Length, await Database.CountStoredTorrentsAsync(dbPath));

            await using var restarted = await TrackerProcess.StartAsync(config, directory, TrackerPorts.Allocate());
            using var http = AdminTrackerFixture.NewClient();
            var url = $"http://127.0.0.1:{restarted.Ports.Api}/api/v1/torrents?limit=1000&token={AdminTrackerFixture.Token}";
            var newestHex = newest.Select(Convert.ToHexStringLower).ToHashSet();
            var rows = await Eventually.Until(() => Rows(http, url), r => newestHex.IsSubsetOf(r.Keys),
                "the newest stored torrent of each partition listed", TimeSpan.FromSeconds(30));
            Output.WriteLine($"{rows.Count} of {OldTorrents + newest.Length} stored torrents listed (cap {ListedCap})");
            Assert.InRange(rows.Count, newest.Length, ListedCap);
            Assert.All(rows.Values, completed => Assert.Equal(1, completed));

            // Unlisted is not lost: every count is still served.
            using var client2 = await ConnectAsync(restarted);
            foreach (var chunk in old.Concat(newest).Chunk(50))
                Assert.All(await client2.ScrapeAsync(chunk), s => Assert.Equal(1, s.Completed));
            Assert.Equal(0, await restarted.StopAsync(StopTimeout));
        }
        finally
        {
            DeleteDirectory(directory);
        }
    }

    /// <summary>One random hash in each of the 16 sweep partitions: each is its partition's newest.</summary>
    private static byte[][] OnePerPartition()
    {
        var hashes = new byte[SweepPartitions.Count][];
        var found = 0;
        while (found < hashes.Length)
        {
            var bytes = RandomNumberGenerator.GetBytes(InfoHash.Length);
            var partition = (int)SweepPartitions.For(InfoHash.Read(bytes));
            if (hashes[partition] is null)
            {
                hashes[partition] = bytes;
                found++;
            }
        }
        return hashes;
    }

    private static async Task<Dictionary<string, int>> Rows(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK)
                return [];
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.EnumerateArray().ToDictionary(
                e => e.GetProperty("info_hash").GetString()!, e => e.GetProperty("completed").GetInt32());
        }
        catch (HttpRequestException)
        {
            return [];   // Kestrel not listening yet
        }
    }
}
