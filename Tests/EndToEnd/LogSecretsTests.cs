using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// Tokens and keys travel in request lines, and ASP.NET logs request lines at Information and below.
/// The real tracker, logging everything (trace) as text or JSON, is sent every kind of request that
/// carries a secret; its whole output must hold neither the token nor the key, while showing that
/// those requests were logged (masked), so the test cannot pass by logging nothing.
/// </summary>
public sealed class LogSecretsTests
{
    private const string Token = "TokenThatMustNeverBeLogged42";
    private const string Key = "KeyThatMustNeverBeLogged00000042"; // 32 letters and digits

    private static readonly string Config = """
        log_level = "{level}"
        log_format = "{format}"
        mode = "private"
        persistence = false
        db_path = "{dir}/data.db"
        """ + ConfigTemplates.LoopbackListeners("admin", "{token}");

    [Theory]
    [InlineData("trace", "text")]
    [InlineData("debug", "json")]
    public async Task tokens_and_keys_never_reach_the_log(string level, string format)
    {
        var template = Config.Replace("{level}", level).Replace("{format}", format).Replace("{token}", Token);
        await using var tracker = await TrackerProcess.StartAsync(template);
        try
        {
            await SendRequestsCarryingSecretsAsync(tracker.Ports);
            Assert.Equal(0, await tracker.StopAsync(TimeSpan.FromSeconds(30)));

            var output = tracker.Output;
            Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, output, StringComparison.Ordinal);
            // The requests were logged, masked: the check above is about real log lines.
            Assert.Contains("token=***", output, StringComparison.Ordinal);
            Assert.Contains("/announce/***", output, StringComparison.Ordinal);
            Assert.Contains("/api/v1/key/***", output, StringComparison.Ordinal);
            if (format == "json")
                AssertEveryLineIsAJsonObject(tracker.StandardOutput);
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }

    private static async Task SendRequestsCarryingSecretsAsync(TrackerPorts ports)
    {
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Api}"), Timeout = TimeSpan.FromSeconds(30) };
        var created = await api.PostAsJsonAsync($"/api/v1/keys?token={Token}", new { key = Key, seconds_valid = (int?)null });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/keys/reload?TOKEN={Token}")).StatusCode);
        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats"))
        {
            bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(bearer)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"/api/v1/stats?token={Token}x")).StatusCode);

        using var http = new TrackerHttpClient($"http://127.0.0.1:{ports.Http}");
        var hash = TestPeers.NewInfoHash();
        // Every process refreshes its copy of the key list about once a second.
        await Eventually.Until(
            () => http.AnnounceAsync($"/announce/{Key}", hash, TestPeers.NewPeerId(), 6301, left: 0),
            answer => TrackerHttpClient.Failure(answer) is null, "the new key accepted");
        await http.ScrapeAsync($"/scrape/{Key}", hash);
        await http.AnnounceAsync($"/ANNOUNCE/{Key}", hash, TestPeers.NewPeerId(), 6302, left: 0);

        using (var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, ports.Udp)))
        {
            await udp.ConnectAsync();
            await udp.AnnounceAsync(hash, TestPeers.NewPeerId(), 6303, left: 0, options: PrivateModeTests.UrlData($"/announce/{Key}"));
        }

        // A malformed request line: Kestrel quotes it in its bad-request log at debug.
        await SendRawAsync(ports.Api, $"GET /api/v1/stats?token={Token} HTTP/1.1 junk\r\nHost: x\r\n\r\n");
        await SendRawAsync(ports.Http, $"GET /announce/{Key}?info_hash= HTTP/9.9\r\n\r\n");

        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/api/v1/key/{Key}?token={Token}")).StatusCode);
    }

    private static async Task SendRawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        _ = await stream.ReadAsync(buffer, timeout.Token); // the 400 answer: the request was handled and logged
    }

    private static void AssertEveryLineIsAJsonObject(string standardOutput)
    {
        var lines = standardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            Assert.True(document.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(document.RootElement.TryGetProperty("Message", out _), line);
        }
        Assert.Contains(lines, l => l.Contains("Tracker ready", StringComparison.Ordinal));
    }
}
