using System.Net;
using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Health;

/// <summary>
/// <c>GET /health_check</c> on its own listener, against the real process: every UDP, HTTP(S) and
/// WebSocket (ws, wss) listener and the SQLite database checked from inside, and nothing else served on that port.
/// </summary>
public sealed class HealthCheckApiTests
{
    private const string Config = """
        log_level = "info"
        persistence = true
        db_path = "{dir}/data.db"

        [[udp_trackers]]
        bind_address = "127.0.0.1:{udp}"

        [[udp_trackers]]
        bind_address = "[::]:{dashboard}"

        [[http_trackers]]
        bind_address = "127.0.0.1:{http}"
        ssl_enabled = true
        ssl_bind_address = "127.0.0.1:{https}"
        ssl_cert_path = "{cert}"
        ssl_key_path = "{key}"

        [[ws_trackers]]
        enabled = true
        bind_address = "127.0.0.1:{ws}"
        ssl_enabled = true
        ssl_bind_address = "127.0.0.1:{wss}"
        ssl_cert_path = "{cert}"
        ssl_key_path = "{key}"

        [http_api]
        bind_address = "127.0.0.1:{api}"

        [health_check_api]
        enabled = true
        bind_address = "127.0.0.1:{health}"

        [cluster]
        silo_port = {silo}
        gateway_port = {gateway}
        """;

    [Fact]
    public async Task It_answers_ok_with_one_detail_per_listener_and_the_database_and_serves_nothing_else()
    {
        var (ws, wss) = (FreePorts.Next(), FreePorts.Next());
        await using var tracker = await TrackerProcess.StartAsync(WithWebSocketPorts(Config, ws, wss));
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            var health = $"http://127.0.0.1:{tracker.Ports.Health}";
            await tracker.WaitUntilTcpAcceptsAsync(tracker.Ports.Health, TimeSpan.FromSeconds(30));
            await tracker.WaitUntilTcpAcceptsAsync(tracker.Ports.Https, TimeSpan.FromSeconds(30));

            using var response = await http.GetAsync($"{health}/health_check");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("Ok", json.RootElement.GetProperty("status").GetString());
            var details = json.RootElement.GetProperty("details").EnumerateArray()
                .Select(d => (Type: d.GetProperty("service_type").GetString(), Binding: d.GetProperty("binding").GetString(),
                    Ok: d.GetProperty("result").TryGetProperty("Ok", out _)))
                .OrderBy(d => d.Type).ThenBy(d => d.Binding).ToList();
            Assert.Equal(
            [
                ("database", $"sqlite3 {tracker.Directory}/data.db", true),
                ("http_tracker", $"127.0.0.1:{tracker.Ports.Http}", true),
                ("https_tracker", $"127.0.0.1:{tracker.Ports.Https}", true),
                ("udp_tracker", $"127.0.0.1:{tracker.Ports.Udp}", true),
                ("udp_tracker", $"[::]:{tracker.Ports.Dashboard}", true),
                ("ws_tracker", $"127.0.0.1:{ws}", true),
                ("wss_tracker", $"127.0.0.1:{wss}", true),
            ], details);

            // Only /health_check there; the admin API keeps its own /api/health_check.
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{health}/api/health_check")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{health}/announce")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{tracker.Ports.Http}/health_check")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{tracker.Ports.Api}/api/health_check")).StatusCode);
            Assert.Contains($"Health-check API ready: http://127.0.0.1:{tracker.Ports.Health}/health_check", tracker.Output, StringComparison.Ordinal);
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }

    [Fact]
    public async Task A_database_file_removed_under_the_tracker_turns_the_status_to_error_with_503()
    {
        await using var tracker = await TrackerProcess.StartAsync(WithWebSocketPorts(Config.Replace("\n[[udp_trackers]]\nbind_address = \"[::]:{dashboard}\"\n", "", StringComparison.Ordinal), FreePorts.Next(), FreePorts.Next()));
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            await tracker.WaitUntilTcpAcceptsAsync(tracker.Ports.Health, TimeSpan.FromSeconds(30));
            // The file removed under the running tracker (a wiped volume): the check opens it afresh and fails.
            foreach (var file in Directory.GetFiles(tracker.Directory, "data.db*"))
                File.Delete(file);

            using var response = await http.GetAsync($"http://127.0.0.1:{tracker.Ports.Health}/health_check");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, body);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("Error", json.RootElement.GetProperty("status").GetString());
            Assert.StartsWith("database ", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            var database = json.RootElement.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("service_type").GetString() == "database");
            Assert.True(database.GetProperty("result").TryGetProperty("Err", out _), body);
            Assert.All(json.RootElement.GetProperty("details").EnumerateArray().Where(d => d.GetProperty("service_type").GetString() != "database"),
                d => Assert.True(d.GetProperty("result").TryGetProperty("Ok", out _), body));
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }

    [Fact]
    public async Task Disabled_it_opens_no_port()
    {
        await using var tracker = await TrackerProcess.StartAsync(WithWebSocketPorts(Config, FreePorts.Next(), FreePorts.Next()).Replace("enabled = true\nbind_address = \"127.0.0.1:{health}\"", "enabled = false\nbind_address = \"127.0.0.1:{health}\"", StringComparison.Ordinal));
        try
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, tracker.Ports.Health)));
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }

    private static string WithWebSocketPorts(string config, int ws, int wss) =>
        config.Replace("{ws}", ws.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{wss}", wss.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
