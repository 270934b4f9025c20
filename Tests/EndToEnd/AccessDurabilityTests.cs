using System.Net;
using System.Text;
using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// "Once the admin call that made a change has answered, a crash cannot lose it": keys and
/// whitelist entries added through the admin API survive a kill -9 that follows the answer at once.
/// </summary>
public sealed class AccessDurabilityTests
{
    private const string Token = "durability-token";

    private static readonly string Config = """
        log_level = "info"
        mode = "private_listed"
        persistence = true
        db_path = "{dir}/data.db"
        """ + ConfigTemplates.LoopbackListeners("test", "durability-token");

    [Fact]
    public async Task keys_and_whitelist_acknowledged_by_the_api_survive_kill_9()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-durable-").FullName;
        var ports = TrackerPorts.Allocate();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var hashes = Enumerable.Range(0, 5).Select(_ => TestPeers.NewInfoHash()).ToList();
        var keys = new List<string>();
        try
        {
            await using (var tracker = await TrackerProcess.StartAsync(Config, directory, ports))
            {
                var api = $"http://127.0.0.1:{ports.Api}";
                foreach (var hash in hashes)
                {
                    using var added = await http.PostAsync($"{api}/api/v1/whitelist/{Convert.ToHexStringLower(hash)}?token={Token}", null);
                    Assert.Equal(HttpStatusCode.OK, added.StatusCode);
                }
                for (var i = 0; i < 5; i++)
                {
                    using var body = new StringContent("""{"key": null, "seconds_valid": 3600}""", Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync($"{api}/api/v1/keys?token={Token}", body);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    keys.Add(json.RootElement.GetProperty("key").GetString()!);
                }
                tracker.Kill(); // right after the last answer: no graceful shutdown, no flush
                Assert.NotEqual(0, await tracker.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            }

            await using var restarted = await TrackerProcess.StartAsync(Config, directory, ports);
            using var client = new TrackerHttpClient($"http://127.0.0.1:{ports.Http}");
            for (var i = 0; i < 5; i++)
            {
                var answer = await client.AnnounceAsync($"/announce/{keys[i]}", hashes[i], TestPeers.NewPeerId(), 6600, left: 0);
                Assert.Null(TrackerHttpClient.Failure(answer));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
