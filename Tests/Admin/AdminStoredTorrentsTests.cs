using System.Net;
using System.Text.Json;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>The torrent list includes torrents whose completed count is only in the database.</summary>
public sealed class AdminStoredTorrentsTests
{
    private static readonly string Config = """
        log_level = "info"
        persistence = true
        db_driver = "sqlite3"
        db_path = "{dir}/data.db"
        persistence_interval = 1
        """ + ConfigTemplates.LoopbackListeners();

    [Fact]
    public async Task after_a_restart_a_stored_completed_count_is_listed_without_any_announce()
    {
        var completedHash = TestPeers.NewInfoHash();
        var neverCompleted = TestPeers.NewInfoHash();
        var first = await TrackerProcess.StartAsync(Config);
        var directory = first.Directory;
        var ports = first.Ports;
        using var http = AdminTrackerFixture.NewClient();
        try
        {
            var id = TestPeers.NewPeerId();
            await Get(http, $"http://127.0.0.1:{ports.Http}/announce?info_hash={TestPeers.PercentEncode(completedHash)}&peer_id={TestPeers.PercentEncode(id)}&port=6881&left=5&event=started");
            await Get(http, $"http://127.0.0.1:{ports.Http}/announce?info_hash={TestPeers.PercentEncode(completedHash)}&peer_id={TestPeers.PercentEncode(id)}&port=6881&left=0&event=completed");
            await Get(http, $"http://127.0.0.1:{ports.Http}/announce?info_hash={TestPeers.PercentEncode(neverCompleted)}&peer_id={TestPeers.PercentEncode(TestPeers.NewPeerId())}&port=6882&left=5");
            Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(30)));   // a graceful stop writes the counts
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = await TrackerProcess.StartAsync(Config, directory, ports);
        try
        {
            var url = $"http://127.0.0.1:{ports.Api}/api/v1/torrents?token={AdminTrackerFixture.Token}";
            var rows = await Eventually.Until(() => Rows(http, url), r => r.Count > 0, "the stored torrent listed");
            var row = Assert.Single(rows);
            Assert.Equal(Convert.ToHexStringLower(completedHash), row.GetProperty("info_hash").GetString());
            Assert.Equal((0, 1, 0), (row.GetProperty("seeders").GetInt32(), row.GetProperty("completed").GetInt32(), row.GetProperty("leechers").GetInt32()));
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteDirectory();
        }
    }

    private static async Task<List<JsonElement>> Rows(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
            return [];
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task Get(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("failure", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
