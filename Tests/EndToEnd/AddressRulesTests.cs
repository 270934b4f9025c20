using OrleansTracker.Frontends.Protocol;
using System.Net;
using System.Text;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>A tracker behind a reverse proxy with an external_ip: whose address ends up in the swarm.</summary>
public sealed class ProxiedTrackerFixture() : TrackerFixture(Config)
{
    private const string Config = """
        log_level = "info"
        persistence = false
        on_reverse_proxy = true
        external_ip = "203.0.113.7"

        [[udp_trackers]]
        bind_address = "[::]:{udp}"

        [[http_trackers]]
        bind_address = "127.0.0.1:{http}"

        [http_api]
        enabled = false

        [cluster]
        silo_port = {silo}
        gateway_port = {gateway}
        """;
}

public sealed class AddressRulesTests(ProxiedTrackerFixture fixture) : IClassFixture<ProxiedTrackerFixture>, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task behind_a_proxy_the_right_most_forwarded_address_is_the_peer()
    {
        var hash = TestPeers.NewInfoHash();
        // The left entry is whatever the client claimed; the proxy appended the real one.
        await Announce(hash, 6001, "10.9.9.9, 198.51.100.9");
        var answer = await Announce(hash, 6002, "198.51.100.10");
        Assert.Equal(new byte[] { 198, 51, 100, 9, 0x17, 0x71 }, answer["peers"]);
    }

    [Fact]
    public async Task behind_a_proxy_a_request_without_forwarded_for_fails_with_a_reason()
    {
        var body = await _http.GetByteArrayAsync(AnnounceUrl(TestPeers.NewInfoHash(), 6003));
        var answer = BencodeDecoder.DecodeDict(body);
        Assert.Equal("missing or invalid X-Forwarded-For header", Encoding.UTF8.GetString((byte[])answer["failure reason"]));
    }

    /// <summary>One address rule for announces and scrapes: a scrape that did not come through the proxy is refused too.</summary>
    [Fact]
    public async Task behind_a_proxy_a_scrape_follows_the_same_address_rule()
    {
        var url = $"http://127.0.0.1:{fixture.Tracker.Ports.Http}/scrape?info_hash={TestPeers.PercentEncode(TestPeers.NewInfoHash())}";
        var refused = BencodeDecoder.DecodeDict(await _http.GetByteArrayAsync(url));
        Assert.Equal("missing or invalid X-Forwarded-For header", Encoding.UTF8.GetString((byte[])refused["failure reason"]));

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Forwarded-For", "198.51.100.9");
        using var response = await _http.SendAsync(request);
        var answered = BencodeDecoder.DecodeDict(await response.Content.ReadAsByteArrayAsync());
        Assert.Single((Dictionary<string, object>)answered["files"]);
    }

    [Fact]
    public async Task a_loopback_udp_peer_is_announced_as_the_external_ip()
    {
        var hash = TestPeers.NewInfoHash();
        using var first = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        using var second = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        await first.ConnectAsync();
        await second.ConnectAsync();
        await first.AnnounceAsync(hash, TestPeers.NewPeerId(), 7001, left: 0);
        var answer = await second.AnnounceAsync(hash, TestPeers.NewPeerId(), 7002, left: 1);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("203.0.113.7"), 7001)], answer.Peers);
    }

    private string AnnounceUrl(byte[] hash, int port) =>
        $"http://127.0.0.1:{fixture.Tracker.Ports.Http}/announce?info_hash={TestPeers.PercentEncode(hash)}" +
        $"&peer_id={TestPeers.PercentEncode(TestPeers.NewPeerId())}&port={port}&left=0";

    private async Task<Dictionary<string, object>> Announce(byte[] hash, int port, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AnnounceUrl(hash, port));
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await _http.SendAsync(request);
        var answer = BencodeDecoder.DecodeDict(await response.Content.ReadAsByteArrayAsync());
        Assert.False(answer.ContainsKey("failure reason"));
        return answer;
    }
}
