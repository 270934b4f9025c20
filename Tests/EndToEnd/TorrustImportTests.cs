using Microsoft.Data.Sqlite;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// <c>import torrust</c> on a database shaped exactly like Torrust Tracker's SQLite schema, made by
/// the test with good and bad rows: good rows arrive, bad rows are named and skipped, a second
/// import changes nothing and never lowers a count the tracker has since raised.
/// </summary>
public sealed class TorrustImportTests
{
    private const string KeyForever = "TorrustKeyForever000000000000001";
    private const string KeyTimed = "TorrustKeyTimed00000000000000002";
    private static readonly string HashA = Convert.ToHexStringLower(TestPeers.NewInfoHash());
    private static readonly string HashB = Convert.ToHexString(TestPeers.NewInfoHash()); // upper case, as some tools write it

    [Fact]
    public async Task good_rows_are_imported_bad_rows_reported_and_a_rerun_keeps_larger_counts()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-import-").FullName;
        var ports = TrackerPorts.Allocate();
        var config = """
            mode = "private_listed"
            persistence = true
            persistence_interval = 1
            db_path = "{dir}/data.db"
            """ + ConfigTemplates.LoopbackListeners(api: false);
        await File.WriteAllTextAsync(Path.Combine(directory, "config.toml"), TrackerProcess.Fill(config, directory, ports, ("", "")));
        var validUntil = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 86_400;
        WriteTorrustDatabase(Path.Combine(directory, "torrust.db"), validUntil);
        try
        {
            var (code, output) = await TrackerCli.RunAsync(directory, "import", "torrust", "--from", "torrust.db");
            Assert.True(code == 3, $"exit {code}: some rows were skipped\n{output}");
            Assert.Contains("torrents: 2 imported, 3 skipped", output, StringComparison.Ordinal);
            Assert.Contains("whitelist: 2 imported, 1 skipped", output, StringComparison.Ordinal);
            Assert.Contains("keys: 2 imported, 2 skipped", output, StringComparison.Ordinal);
            Assert.Contains("skipped torrents row id=3: info_hash 'xyz' is not 40 hex digits", output, StringComparison.Ordinal);
            Assert.Contains("skipped torrents row id=4: completed '-1' is not a count", output, StringComparison.Ordinal);
            Assert.Contains("skipped torrents row id=5: completed 'lots' is not a count", output, StringComparison.Ordinal);
            Assert.Contains("skipped whitelist row id=2: info_hash 'nothex' is not 40 hex digits", output, StringComparison.Ordinal);
            Assert.Contains("skipped keys row id=3: key 'short' is not 32 letters and digits", output, StringComparison.Ordinal);
            Assert.Contains("skipped keys row id=4: valid_until '-5' is not a unix time", output, StringComparison.Ordinal);

            (code, output) = await TrackerCli.RunAsync(directory, "keys", "list");
            Assert.Contains($"{KeyForever} - permanent", output, StringComparison.Ordinal);
            Assert.Contains($"{KeyTimed} {validUntil} ", output, StringComparison.Ordinal);

            // The tracker serves what was imported, then raises A's count from 5 to 6.
            await using (var tracker = await TrackerProcess.StartAsync(config, directory, ports))
            {
                using var http = new TrackerHttpClient($"http://127.0.0.1:{ports.Http}");
                var scrape = await http.ScrapeAsync($"/scrape/{KeyTimed}", Convert.FromHexString(HashA), Convert.FromHexString(HashB));
                Assert.Equal((0, 5, 0), TrackerHttpClient.Counts(scrape, Convert.FromHexString(HashA)));
                Assert.Equal((0, 7, 0), TrackerHttpClient.Counts(scrape, Convert.FromHexString(HashB)));

                var peer = TestPeers.NewPeerId();
                await http.AnnounceAsync($"/announce/{KeyForever}", Convert.FromHexString(HashA), peer, 6401, left: 10, "started");
                var done = await http.AnnounceAsync($"/announce/{KeyForever}", Convert.FromHexString(HashA), peer, 6401, left: 0, "completed");
                Assert.Equal(6L, done["downloaded"]);
                Assert.Equal(0, await tracker.StopAsync(TimeSpan.FromSeconds(30)));
            }

            // Importing again changes nothing: A keeps the larger count the tracker saved.
            (code, output) = await TrackerCli.RunAsync(directory, "import", "torrust", "--from", "torrust.db");
            Assert.True(code == 3, output);
            await using (var tracker = await TrackerProcess.StartAsync(config, directory, ports))
            {
                using var http = new TrackerHttpClient($"http://127.0.0.1:{ports.Http}");
                var scrape = await http.ScrapeAsync($"/scrape/{KeyForever}", Convert.FromHexString(HashA), Convert.FromHexString(HashB));
                Assert.Equal(6, TrackerHttpClient.Counts(scrape, Convert.FromHexString(HashA)).Downloaded);
                Assert.Equal(7, TrackerHttpClient.Counts(scrape, Convert.FromHexString(HashB)).Downloaded);
            }
            (code, output) = await TrackerCli.RunAsync(directory, "whitelist", "list");
            var listed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(new[] { HashA, HashB.ToLowerInvariant() }.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task a_file_without_torrust_tables_is_refused_and_nothing_is_written()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-import-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "config.toml"), $"db_path = \"{directory}/data.db\"\n");
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "other.db")}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE unrelated (x INTEGER)";
            command.ExecuteNonQuery();
        }
        try
        {
            var (code, output) = await TrackerCli.RunAsync(directory, "import", "torrust", "--from", "other.db");
            Assert.Equal(1, code);
            Assert.Contains("has none of Torrust's tables", output, StringComparison.Ordinal);
            (code, output) = await TrackerCli.RunAsync(directory, "import", "torrust", "--from", "missing.db");
            Assert.Equal(1, code);
            Assert.Contains("does not exist", output, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Torrust Tracker's SQLite schema (v3: keys.valid_until may be NULL for a permanent key).</summary>
    private static void WriteTorrustDatabase(string path, long validUntil)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE whitelist (id INTEGER PRIMARY KEY AUTOINCREMENT, info_hash TEXT NOT NULL UNIQUE);
            CREATE TABLE torrents (id INTEGER PRIMARY KEY AUTOINCREMENT, info_hash TEXT NOT NULL UNIQUE, completed INTEGER DEFAULT 0 NOT NULL);
            CREATE TABLE keys (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, valid_until INTEGER);
            INSERT INTO torrents (id, info_hash, completed) VALUES (1, '{HashA}', 5), (2, '{HashB}', 7),
                (3, 'xyz', 3), (4, '{Convert.ToHexStringLower(TestPeers.NewInfoHash())}', -1), (5, '{Convert.ToHexStringLower(TestPeers.NewInfoHash())}', 'lots');
            INSERT INTO whitelist (id, info_hash) VALUES (1, '{HashA}'), (2, 'nothex'), (3, '{HashB}');
            INSERT INTO keys (id, key, valid_until) VALUES (1, '{KeyForever}', NULL), (2, '{KeyTimed}', {validUntil}),
                (3, 'short', 100), (4, 'TorrustKeyNegative00000000000004', -5);
            """;
        command.ExecuteNonQuery();
    }
}
