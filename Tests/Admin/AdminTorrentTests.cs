using System.Net;
using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>GET /api/v1/torrent/{info_hash} and GET /api/v1/torrents over real HTTP.</summary>
public sealed class AdminTorrentTests(AdminTrackerFixture fixture) : IClassFixture<AdminTrackerFixture>, IDisposable
{
    private readonly HttpClient _http = AdminTrackerFixture.NewClient();
    private AdminApi Api => new(fixture, _http);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task a_torrent_shows_its_counts_and_peers_in_torrusts_shape()
    {
        var hash = TestPeers.NewInfoHash();
        var seederId = "-qB4630-"u8.ToArray().Concat(new byte[12]).ToArray();
        using (var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp)))
        {
            await udp.ConnectAsync();
            await udp.AnnounceAsync(hash, seederId, 5001, left: 0, udpEvent: 2, uploaded: 7, downloaded: 3);
        }
        var leecherId = TestPeers.NewPeerId();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var response = await _http.GetAsync($"http://[::1]:{fixture.Tracker.Ports.Http}/announce?info_hash={TestPeers.PercentEncode(hash)}&peer_id={TestPeers.PercentEncode(leecherId)}&port=6002&left=99&uploaded=1&downloaded=2"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var torrent = await Api.Get($"/api/v1/torrent/{Convert.ToHexStringLower(hash)}");
        Assert.Equal(["info_hash", "seeders", "completed", "leechers", "peers"], torrent.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Convert.ToHexStringLower(hash), torrent.GetProperty("info_hash").GetString());
        Assert.Equal((1, 0, 1), (torrent.GetProperty("seeders").GetInt32(), torrent.GetProperty("completed").GetInt32(), torrent.GetProperty("leechers").GetInt32()));
        var peers = torrent.GetProperty("peers").EnumerateArray().ToList();
        Assert.Equal(2, peers.Count);
        Assert.All(peers, p => Assert.Equal(["peer_id", "peer_addr", "updated", "uploaded", "downloaded", "left", "event"], p.EnumerateObject().Select(q => q.Name)));

        var seeder = peers.Single(p => p.GetProperty("left").GetInt64() == 0);
        Assert.Equal("0x" + Convert.ToHexStringLower(seederId), seeder.GetProperty("peer_id").GetProperty("id").GetString());
        Assert.Equal("qBittorrent 4.6.3", seeder.GetProperty("peer_id").GetProperty("client").GetString());
        Assert.Equal("127.0.0.1:5001", seeder.GetProperty("peer_addr").GetString());
        Assert.Equal((7L, 3L), (seeder.GetProperty("uploaded").GetInt64(), seeder.GetProperty("downloaded").GetInt64()));
        Assert.Equal("Started", seeder.GetProperty("event").GetString());

        var leecher = peers.Single(p => p.GetProperty("left").GetInt64() == 99);
        Assert.Equal("0x" + Convert.ToHexStringLower(leecherId), leecher.GetProperty("peer_id").GetProperty("id").GetString());
        Assert.Equal("[::1]:6002", leecher.GetProperty("peer_addr").GetString());
        Assert.Equal("None", leecher.GetProperty("event").GetString());
        var updated = leecher.GetProperty("updated").GetInt64();
        Assert.InRange(updated, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
    }

    [Fact]
    public async Task an_unknown_torrent_is_404_with_a_json_error()
    {
        using var response = await Api.Send(HttpMethod.Get, $"/api/v1/torrent/{Convert.ToHexStringLower(TestPeers.NewInfoHash())}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("torrent not known", await AdminAuthTests.ErrorOf(response));
    }

    [Fact]
    public async Task pages_of_the_torrent_list_follow_each_other_in_hash_order()
    {
        // Hashes sharing a two-byte prefix make a page start inside one prefix bucket.
        var created = Enumerable.Range(0, 12).Select(i => Prefixed(0xAB, 0xCD)).Concat(Enumerable.Range(0, 18).Select(_ => TestPeers.NewInfoHash())).ToList();
        foreach (var hash in created)
            await AnnounceHttp(hash);

        var all = Hashes(await Api.Get("/api/v1/torrents"));
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Superset(created.Select(Convert.ToHexStringLower).ToHashSet(), all.ToHashSet());

        var paged = new List<string>();
        for (var offset = 0; offset < all.Count + 7; offset += 7)
            paged.AddRange(Hashes(await Api.Get($"/api/v1/torrents?offset={offset}&limit=7")));
        Assert.Equal(all, paged);
        Assert.Empty(Hashes(await Api.Get($"/api/v1/torrents?offset={all.Count}")));
        Assert.Empty(Hashes(await Api.Get("/api/v1/torrents?limit=0")));
    }

    [Fact]
    public async Task info_hash_parameters_select_known_torrents_in_order()
    {
        var a = TestPeers.NewInfoHash();
        var b = TestPeers.NewInfoHash();
        await AnnounceHttp(a);
        await AnnounceHttp(b);
        var unknown = TestPeers.NewInfoHash();
        var rows = await Api.Get($"/api/v1/torrents?info_hash={Convert.ToHexStringLower(b)}&info_hash={Convert.ToHexStringLower(unknown)}&info_hash={Convert.ToHexStringLower(a)}");
        Assert.Equal(new[] { a, b }.Select(Convert.ToHexStringLower).Order(StringComparer.Ordinal), Hashes(rows));
        var row = rows.EnumerateArray().First();
        Assert.Equal(["info_hash", "seeders", "completed", "leechers"], row.EnumerateObject().Select(p => p.Name));
        Assert.Equal((0, 0, 1), (row.GetProperty("seeders").GetInt32(), row.GetProperty("completed").GetInt32(), row.GetProperty("leechers").GetInt32()));
    }

    private async Task AnnounceHttp(byte[] hash)
    {
        using var response = await _http.GetAsync($"{fixture.Http4}/announce?info_hash={TestPeers.PercentEncode(hash)}&peer_id={TestPeers.PercentEncode(TestPeers.NewPeerId())}&port=6881&left=10");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static byte[] Prefixed(byte first, byte second)
    {
        var hash = TestPeers.NewInfoHash();
        (hash[0], hash[1]) = (first, second);
        return hash;
    }

    private static List<string> Hashes(JsonElement rows) =>
        rows.EnumerateArray().Select(r => r.GetProperty("info_hash").GetString()!).ToList();
}
