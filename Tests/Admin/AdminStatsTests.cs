using System.Net;
using System.Text.Json;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>GET /api/v1/stats after a scripted series of UDP and HTTP requests, on the real process.</summary>
public sealed class AdminStatsTests(AdminTrackerFixture fixture) : IClassFixture<AdminTrackerFixture>, IDisposable
{
    private static readonly string[] Fields =
    [
        "torrents", "seeders", "completed", "leechers",
        "tcp4_connections_handled", "tcp4_announces_handled", "tcp4_scrapes_handled",
        "tcp6_connections_handled", "tcp6_announces_handled", "tcp6_scrapes_handled",
        "udp4_connections_handled", "udp4_announces_handled", "udp4_scrapes_handled",
        "udp6_connections_handled", "udp6_announces_handled", "udp6_scrapes_handled",
        "swarms_evicted", "peers_evicted", "torrents_unlisted",
        "ws4_connections_handled", "ws4_announces_handled", "ws4_scrapes_handled",
        "ws6_connections_handled", "ws6_announces_handled", "ws6_scrapes_handled",
        "ws_offers_relayed", "ws_offers_dropped",
        "announces_rate_limited", "peers_per_address_refused",
    ];

    private static readonly string[] SiloFields = ["announces_local", "announces_remote", "remote_batches", "announces_batched"];

    private readonly HttpClient _http = AdminTrackerFixture.NewClient();
    private AdminApi Api => new(fixture, _http);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task stats_have_torrusts_sixteen_integer_fields_in_its_order_then_ours_then_this_silo()
    {
        var stats = await Api.Get("/api/v1/stats");
        Assert.Equal([.. Fields, "this_silo"], stats.EnumerateObject().Select(p => p.Name));
        Assert.All(stats.EnumerateObject().SkipLast(1), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
        var silo = stats.GetProperty("this_silo");
        Assert.Equal(SiloFields, silo.EnumerateObject().Select(p => p.Name));
        Assert.All(silo.EnumerateObject(), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
    }

    [Fact]
    public async Task stats_count_every_request_and_swarm_change_of_a_scripted_series_exactly()
    {
        var before = await Read();
        var siloBefore = await ThisSilo();
        var h1 = TestPeers.NewInfoHash();
        var h2 = TestPeers.NewInfoHash();

        // UDP over IPv4: 1 connect, 2 announces (a seeder and a leecher of h1), 1 scrape.
        using (var udp4 = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp)))
        {
            await udp4.ConnectAsync();
            await udp4.AnnounceAsync(h1, TestPeers.NewPeerId(), 5001, left: 0);
            await udp4.AnnounceAsync(h1, TestPeers.NewPeerId(), 5002, left: 100);
            await udp4.ScrapeAsync(h1);
        }
        // UDP over IPv6: 1 connect, 1 announce (a leecher of h1).
        using (var udp6 = new UdpTrackerClient(new IPEndPoint(IPAddress.IPv6Loopback, fixture.Tracker.Ports.Udp)))
        {
            await udp6.ConnectAsync();
            await udp6.AnnounceAsync(h1, TestPeers.NewPeerId(), 5003, left: 100);
        }
        // HTTP over IPv4: a leecher of h2 starts and completes (2 announces), then 1 scrape.
        var finisher = TestPeers.NewPeerId();
        await HttpGet(fixture.Http4, $"/announce?info_hash={Enc(h2)}&peer_id={Enc(finisher)}&port=6001&left=5&event=started");
        await HttpGet(fixture.Http4, $"/announce?info_hash={Enc(h2)}&peer_id={Enc(finisher)}&port=6001&left=0&event=completed");
        await HttpGet(fixture.Http4, $"/scrape?info_hash={Enc(h1)}");
        // HTTP over IPv6: 1 announce (a leecher of h2).
        await HttpGet($"http://[::1]:{fixture.Tracker.Ports.Http}", $"/announce?info_hash={Enc(h2)}&peer_id={Enc(TestPeers.NewPeerId())}&port=6002&left=9");

        var expected = new Dictionary<string, long>
        {
            ["torrents"] = 2, ["seeders"] = 2, ["completed"] = 1, ["leechers"] = 3,
            ["tcp4_connections_handled"] = 3, ["tcp4_announces_handled"] = 2, ["tcp4_scrapes_handled"] = 1,
            ["tcp6_connections_handled"] = 1, ["tcp6_announces_handled"] = 1, ["tcp6_scrapes_handled"] = 0,
            ["udp4_connections_handled"] = 1, ["udp4_announces_handled"] = 2, ["udp4_scrapes_handled"] = 1,
            ["udp6_connections_handled"] = 1, ["udp6_announces_handled"] = 1, ["udp6_scrapes_handled"] = 0,
            ["swarms_evicted"] = 0, ["peers_evicted"] = 0, ["torrents_unlisted"] = 0,
            ["ws4_connections_handled"] = 0, ["ws4_announces_handled"] = 0, ["ws4_scrapes_handled"] = 0,
            ["ws6_connections_handled"] = 0, ["ws6_announces_handled"] = 0, ["ws6_scrapes_handled"] = 0,
            ["ws_offers_relayed"] = 0, ["ws_offers_dropped"] = 0,
            ["announces_rate_limited"] = 0, ["peers_per_address_refused"] = 0,
        };
        // Request counters are exact at once; swarm sums arrive by one-way messages, so poll (bounded).
        var after = await Eventually.Until(Read, now => Fields.All(f => now[f] - before[f] == expected[f]), "the expected stats deltas");
        Assert.Equal(expected, Fields.ToDictionary(f => f, f => after[f] - before[f]));
        // One silo owns every torrent: all six announces were local, nothing crossed.
        var silo = await ThisSilo();
        Assert.Equal(new long[] { 6, 0, 0, 0 }, SiloFields.Select(f => silo[f] - siloBefore[f]));
    }

    [Theory]
    [InlineData("/api/v1/metrics?format=prometheus")]
    [InlineData("/api/v1/stats?format=prometheus")]
    public async Task prometheus_text_carries_the_same_counters_and_latency_histograms(string path)
    {
        var before = await Prometheus(path);
        var hash = TestPeers.NewInfoHash();
        using (var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp)))
        {
            await udp.ConnectAsync();
            for (var i = 0; i < 3; i++)
                await udp.AnnounceAsync(hash, TestPeers.NewPeerId(), (ushort)(7000 + i), left: 1);
            await udp.ScrapeAsync(hash);
        }
        var after = await Prometheus(path);
        var json = await Read();

        foreach (var field in Fields.Skip(4))
            Assert.Equal(json[field], (long)after[field]);
        var silo = await ThisSilo();
        foreach (var field in SiloFields)
            Assert.Equal(silo[field], (long)after[field]);
        const string announce = "tracker_request_duration_seconds_count{protocol=\"udp\",request=\"announce\"}";
        const string scrape = "tracker_request_duration_seconds_count{protocol=\"udp\",request=\"scrape\"}";
        Assert.Equal(3, after[announce] - before.GetValueOrDefault(announce));
        Assert.Equal(1, after[scrape] - before.GetValueOrDefault(scrape));

        // Buckets are cumulative and end in +Inf, which equals the count.
        var buckets = after.Where(kv => kv.Key.StartsWith("tracker_request_duration_seconds_bucket{protocol=\"udp\",request=\"announce\"", StringComparison.Ordinal))
            .Select(kv => kv.Value).ToList();
        Assert.Equal(14, buckets.Count);
        Assert.Equal(buckets.Order(), buckets);
        Assert.Equal(after[announce], buckets[^1]);
        Assert.True(after["tracker_request_duration_seconds_sum{protocol=\"udp\",request=\"announce\"}"] > 0);
    }

    /// <summary>Sample lines as "name{labels}" → value; checks every sample has HELP and TYPE lines.</summary>
    private async Task<Dictionary<string, double>> Prometheus(string path)
    {
        using var response = await Api.Send(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var typed = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        var samples = new Dictionary<string, double>();
        foreach (var line in lines.Where(l => !l.StartsWith('#')))
        {
            var space = line.LastIndexOf(' ');
            var name = line[..space];
            var family = name.Split('{')[0];
            Assert.Contains(typed, t => family == t || family.StartsWith(t + "_", StringComparison.Ordinal));
            samples.Add(name, double.Parse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
        return samples;
    }

    private async Task<Dictionary<string, long>> ThisSilo() =>
        (await Api.Get("/api/v1/stats")).GetProperty("this_silo").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    private async Task<Dictionary<string, long>> Read()
    {
        var stats = await Api.Get("/api/v1/stats");
        // this_silo (per silo, an object) is read by its own test.
        return stats.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }

    private async Task HttpGet(string baseUrl, string pathAndQuery)
    {
        using var response = await _http.GetAsync(baseUrl + pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("failure reason", body, StringComparison.Ordinal);
    }

    private static string Enc(byte[] bytes) => TestPeers.PercentEncode(bytes);
}
