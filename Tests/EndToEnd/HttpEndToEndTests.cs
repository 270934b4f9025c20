using OrleansTracker.Frontends.Protocol;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>BEP 3/7/23/48 over real HTTP and HTTPS against the real tracker process.</summary>
public sealed class HttpEndToEndTests : IClassFixture<PublicTrackerFixture>, IDisposable
{
    private readonly PublicTrackerFixture _fixture;
    private readonly HttpClient _http;

    public HttpEndToEndTests(PublicTrackerFixture fixture)
    {
        _fixture = fixture;
        // The test certificate is self-signed: trust exactly that certificate, nothing else.
        using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(fixture.Tracker.Directory, "tracker.crt")));
        var thumbprint = expected.Thumbprint;
        _http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint },
            AutomaticDecompression = DecompressionMethods.None,
        }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    private string Http4 => $"http://127.0.0.1:{_fixture.Tracker.Ports.Http}";
    private string Http6 => $"http://[::1]:{_fixture.Tracker.Ports.Http}";
    private string Https4 => $"https://127.0.0.1:{_fixture.Tracker.Ports.Https}";

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task compact_announce_lists_ipv4_peers_in_peers_and_ipv6_peers_in_peers6()
    {
        var hash = TestPeers.NewInfoHash();
        await Announce(Http4, hash, TestPeers.NewPeerId(), 5001, left: 0);
        await Announce(Http6, hash, TestPeers.NewPeerId(), 5002, left: 0);
        var answer = await Announce(Http4, hash, TestPeers.NewPeerId(), 5003, left: 7);

        Assert.Equal(2L, answer["complete"]);
        Assert.Equal(1L, answer["incomplete"]);
        Assert.Equal(0L, answer["downloaded"]);
        Assert.Equal(120L, answer["interval"]);
        Assert.Equal(60L, answer["min interval"]);
        Assert.Equal(new byte[] { 127, 0, 0, 1, 0x13, 0x89 }, answer["peers"]);
        var peers6 = (byte[])answer["peers6"];
        Assert.Equal(18, peers6.Length);
        Assert.Equal(IPAddress.IPv6Loopback, new IPAddress(peers6.AsSpan(0, 16)));
        Assert.Equal(5002, (peers6[16] << 8) | peers6[17]);
    }

    [Fact]
    public async Task non_compact_announce_gives_peer_dicts_with_ids()
    {
        var hash = TestPeers.NewInfoHash();
        var firstId = TestPeers.NewPeerId();
        await Announce(Http4, hash, firstId, 6001, left: 0);
        var answer = await Announce(Http4, hash, TestPeers.NewPeerId(), 6002, left: 3, extra: "&compact=0");
        var peers = Assert.IsType<List<object>>(answer["peers"]);
        var peer = Assert.IsType<Dictionary<string, object>>(Assert.Single(peers));
        Assert.Equal("127.0.0.1", Encoding.ASCII.GetString((byte[])peer["ip"]));
        Assert.Equal(6001L, peer["port"]);
        Assert.Equal(firstId, peer["peer id"]);

        var noIds = await Announce(Http4, hash, TestPeers.NewPeerId(), 6003, left: 3, extra: "&compact=0&no_peer_id=1");
        Assert.All((List<object>)noIds["peers"], p => Assert.False(((Dictionary<string, object>)p).ContainsKey("peer id")));
    }

    [Fact]
    public async Task scrape_of_several_hashes_reports_each_one()
    {
        var busy = TestPeers.NewInfoHash();
        var unknown = TestPeers.NewInfoHash();
        var id = TestPeers.NewPeerId();
        await Announce(Http4, busy, id, 7001, left: 10, extra: "&event=started");
        await Announce(Http4, busy, id, 7001, left: 0, extra: "&event=completed");
        var body = await Get($"{Http6}/scrape?info_hash={TestPeers.PercentEncode(busy)}&info_hash={TestPeers.PercentEncode(unknown)}");
        var files = (Dictionary<string, object>)BencodeDecoder.DecodeDict(body)["files"];
        var busyCounts = (Dictionary<string, object>)files[Encoding.Latin1.GetString(busy)];
        Assert.Equal((1L, 1L, 0L), ((long)busyCounts["complete"], (long)busyCounts["downloaded"], (long)busyCounts["incomplete"]));
        var unknownCounts = (Dictionary<string, object>)files[Encoding.Latin1.GetString(unknown)];
        Assert.Equal(0L, unknownCounts["complete"]);
    }

    [Theory]
    [InlineData("", "missing info_hash")]
    [InlineData("info_hash=%01%02", "invalid info_hash")]
    [InlineData("info_hash=AAAAAAAAAAAAAAAAAAAA&peer_id=BBBBBBBBBBBBBBBBBBBB", "missing port")]
    [InlineData("info_hash=AAAAAAAAAAAAAAAAAAAA&peer_id=BBBBBBBBBBBBBBBBBBBB&port=99999", "invalid port")]
    public async Task bad_announce_gets_200_with_a_bencoded_failure_reason(string query, string reason)
    {
        using var response = await _http.GetAsync($"{Http4}/announce?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = BencodeDecoder.DecodeDict(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(reason, Encoding.UTF8.GetString((byte[])answer["failure reason"]));
    }

    /// <summary>BEP 21: libtorrent's partial seed (finished, files unticked) announces with event=paused.</summary>
    [Theory]
    [InlineData("paused")]
    [InlineData("bogus")]
    public async Task an_announce_with_event_paused_or_unknown_is_a_regular_announce(string wireEvent)
    {
        var hash = TestPeers.NewInfoHash();
        var partialSeed = TestPeers.NewPeerId();
        await Announce(Http4, hash, TestPeers.NewPeerId(), 8001, left: 0);
        await Announce(Http4, hash, partialSeed, 8002, left: 100, extra: "&event=started");
        var answer = await Announce(Http4, hash, partialSeed, 8002, left: 100, extra: "&event=" + wireEvent);
        Assert.False(answer.ContainsKey("failure reason"));
        Assert.Equal((1L, 1L), ((long)answer["complete"], (long)answer["incomplete"]));
        Assert.Equal(new byte[] { 127, 0, 0, 1, 0x1f, 0x41 }, answer["peers"]);
    }

    [Fact]
    public async Task a_post_to_announce_still_gets_a_bencoded_failure_reason()
    {
        using var response = await _http.PostAsync($"{Http4}/announce", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = BencodeDecoder.DecodeDict(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("missing info_hash", Encoding.UTF8.GetString((byte[])answer["failure reason"]));
    }

    [Fact]
    public async Task https_announce_is_served_with_the_configured_pem_certificate()
    {
        var answer = await Announce(Https4, TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 8001, left: 1);
        Assert.Equal(1L, answer["incomplete"]);
    }

    [Fact]
    public async Task newtrackon_style_request_gets_a_gzipped_valid_answer()
    {
        // What newTrackon sends: a random hash, compact=1, ipv4/ipv6 hints, gzip, Connection: close.
        var hash = TestPeers.NewInfoHash();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{Http6}/announce?info_hash={TestPeers.PercentEncode(hash)}&peer_id={TestPeers.PercentEncode(TestPeers.NewPeerId())}" +
            "&port=6881&uploaded=0&downloaded=0&left=0&compact=1&ipv6=%3A%3A1&ipv4=127.0.0.1");
        request.Headers.Add("Accept-Encoding", "gzip");
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.ParseAdd("qBittorrent/4.6.5");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);
        var answer = BencodeDecoder.DecodeDict(plain.ToArray());
        Assert.False(answer.ContainsKey("failure reason"));
        Assert.True(answer.ContainsKey("peers") || answer.ContainsKey("peers6"));
        Assert.Equal(120L, answer["interval"]);
    }

    [Fact]
    public async Task udp_and_http_announces_meet_in_the_same_swarm()
    {
        var hash = TestPeers.NewInfoHash();
        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, _fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        await udp.AnnounceAsync(hash, TestPeers.NewPeerId(), 9001, left: 0);
        var answer = await Announce(Http4, hash, TestPeers.NewPeerId(), 9002, left: 1);
        Assert.Equal(new byte[] { 127, 0, 0, 1, 0x23, 0x29 }, answer["peers"]);
    }

    private async Task<Dictionary<string, object>> Announce(string baseUrl, byte[] hash, byte[] peerId, int port, long left, string extra = "")
    {
        var body = await Get($"{baseUrl}/announce?info_hash={TestPeers.PercentEncode(hash)}&peer_id={TestPeers.PercentEncode(peerId)}" +
            $"&port={port}&uploaded=0&downloaded=0&left={left}{extra}");
        var answer = BencodeDecoder.DecodeDict(body);
        Assert.False(answer.ContainsKey("failure reason"), answer.TryGetValue("failure reason", out var r) ? Encoding.UTF8.GetString((byte[])r) : "");
        return answer;
    }

    private async Task<byte[]> Get(string url)
    {
        using var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
