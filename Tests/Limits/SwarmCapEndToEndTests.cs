using System.Net;
using System.Text.Json;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Limits;

/// <summary>max_swarms_per_silo and max_peers_per_silo against the real process: random-hash floods over UDP and HTTP.</summary>
public sealed class SwarmCapEndToEndTests
{
    private const int Cap = 10;
    private const int Flood = 150;

    private static readonly string Config = """
        log_level = "info"
        persistence = true
        db_driver = "sqlite3"
        db_path = "{dir}/data.db"
        """ + ConfigTemplates.LoopbackListeners("admin", "MyAccessToken") + """
        [limits]
        max_swarms_per_silo = 10
        """;

    [Fact]
    public async Task a_random_hash_flood_leaves_at_most_the_cap_in_memory_counts_evictions_and_keeps_completed_counts()
    {
        await using var tracker = await TrackerProcess.StartAsync(Config);
        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, tracker.Ports.Udp), TimeSpan.FromSeconds(5));
        using var http = new TrackerHttpClient($"http://127.0.0.1:{tracker.Ports.Http}");
        using var api = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var apiBase = $"http://127.0.0.1:{tracker.Ports.Api}";
        await udp.ConnectAsync();

        // The first swarm gets a completed download and is then left alone: evicted first.
        var finished = TestPeers.NewInfoHash();
        var finisher = TestPeers.NewPeerId();
        await udp.AnnounceAsync(finished, finisher, 6881, left: 100, udpEvent: 2);
        await udp.AnnounceAsync(finished, finisher, 6881, left: 0, udpEvent: 1);

        // Half the flood over UDP, half over HTTP; every announce is answered.
        for (var i = 0; i < Flood; i++)
        {
            if (i % 2 == 0)
                Assert.Equal(1, (await udp.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6881, left: 100, udpEvent: 2)).Leechers);
            else
                Assert.Null(TrackerHttpClient.Failure(await http.AnnounceAsync("/announce", TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6881, left: 100, "started")));
        }

        // Torrents in memory settle at or under the cap; every other swarm was counted as evicted.
        var stats = await Eventually.Until(
            async () => JsonDocument.Parse(await api.GetStringAsync($"{apiBase}/api/v1/stats?token=MyAccessToken")).RootElement.Clone(),
            s => s.GetProperty("torrents").GetInt64() <= Cap && s.GetProperty("swarms_evicted").GetInt64() >= Flood + 1 - Cap,
            $"torrents <= {Cap} and swarms_evicted >= {Flood + 1 - Cap}", TimeSpan.FromSeconds(30));
        var evicted = stats.GetProperty("swarms_evicted").GetInt64();
        Assert.InRange(evicted, Flood + 1 - Cap, Flood + 1);
        var prometheus = await api.GetStringAsync($"{apiBase}/api/v1/metrics?format=prometheus&token=MyAccessToken");
        Assert.Contains("# TYPE swarms_evicted counter", prometheus, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^swarms_evicted \d+$", prometheus);

        // The evicted finished swarm comes back from the database with its count.
        var scrape = await udp.ScrapeAsync(finished);
        Assert.Equal(1, scrape[0].Completed);
        Assert.Contains("More than max_swarms_per_silo = 10 swarms", tracker.Output, StringComparison.Ordinal);
    }

    private static readonly string PeerCapConfig = """
        log_level = "info"
        persistence = true
        db_driver = "sqlite3"
        db_path = "{dir}/data.db"
        """ + ConfigTemplates.LoopbackListeners("admin", "MyAccessToken") + """
        [limits]
        max_peers_per_swarm = 10
        max_peers_per_silo = 40
        """;

    [Fact]
    public async Task invented_peers_over_many_hashes_leave_at_most_the_silo_peer_cap_in_memory()
    {
        const int hashes = 30, peersEach = 4, peerCap = 40;
        await using var tracker = await TrackerProcess.StartAsync(PeerCapConfig);
        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, tracker.Ports.Udp), TimeSpan.FromSeconds(5));
        using var api = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var apiBase = $"http://127.0.0.1:{tracker.Ports.Api}";
        await udp.ConnectAsync();

        // 120 peers, every swarm well under max_peers_per_swarm; every announce is answered.
        for (var h = 0; h < hashes; h++)
        {
            var hash = TestPeers.NewInfoHash();
            for (var p = 0; p < peersEach; p++)
                Assert.InRange((await udp.AnnounceAsync(hash, TestPeers.NewPeerId(), (ushort)(6881 + p), left: 100, udpEvent: 2)).Leechers, 1, peersEach);
        }

        var stats = await Eventually.Until(
            async () => JsonDocument.Parse(await api.GetStringAsync($"{apiBase}/api/v1/stats?token=MyAccessToken")).RootElement.Clone(),
            // Whole swarms go, never single peers of a swarm under its own cap.
            s => s.GetProperty("seeders").GetInt64() + s.GetProperty("leechers").GetInt64() <= peerCap
                 && s.GetProperty("leechers").GetInt64() % peersEach == 0
                 && s.GetProperty("swarms_evicted").GetInt64() > 0,
            $"at most {peerCap} peers in memory, in whole swarms, and swarms evicted", TimeSpan.FromSeconds(30));
        Assert.Equal(0, stats.GetProperty("peers_evicted").GetInt64());
        Assert.Contains("More than max_peers_per_silo = 40 peers", tracker.Output, StringComparison.Ordinal);
        var prometheus = await api.GetStringAsync($"{apiBase}/api/v1/metrics?format=prometheus&token=MyAccessToken");
        Assert.Matches(@"(?m)^torrents_unlisted \d+$", prometheus);
    }
}
