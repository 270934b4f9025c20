using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OrleansTracker.Frontends.Client;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Limits;

/// <summary>
/// announces_per_address_per_minute and peers_per_address_per_swarm against the real process over
/// real UDP and HTTP sockets. Each test sends from its own loopback address (127.0.0.x), so the
/// limits of one do not meet the other's.
/// </summary>
public sealed class PerAddressLimitEndToEndTests(PerAddressLimitEndToEndTests.Fixture fixture) : IClassFixture<PerAddressLimitEndToEndTests.Fixture>
{
    private const int RatePerMinute = 6;
    private const int PeersPerAddress = 2;

    public sealed class Fixture() : TrackerFixture("""
        log_level = "info"
        persistence = false

        [limits]
        announces_per_address_per_minute = 6
        peers_per_address_per_swarm = 2
        """ + ConfigTemplates.LoopbackListeners("admin", "MyAccessToken"));

    internal TrackerProcess Tracker => fixture.Tracker;

    private UdpTrackerSession Udp(string from) =>
        UdpTrackerSession.Open(new IPEndPoint(IPAddress.Loopback, Tracker.Ports.Udp), TimeSpan.FromSeconds(5), local: new IPEndPoint(IPAddress.Parse(from), 0));

    private static ClientAnnounce Announce(InfoHash hash, ushort port, byte[]? peerId = null) =>
        new(hash, PeerId.Read(peerId ?? TestPeers.NewPeerId()), 0, 1000, 0, AnnounceEvent.Started, 0, 50, port);

    private static HttpClient Http(string from) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, token) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
            await socket.ConnectAsync(context.DnsEndPoint, token);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { Timeout = TimeSpan.FromSeconds(10) };

    private string HttpAnnounce(byte[] hash, ushort port, byte[]? peerId = null) =>
        $"http://127.0.0.1:{Tracker.Ports.Http}/announce?info_hash={TestPeers.PercentEncode(hash)}&peer_id={TestPeers.PercentEncode(peerId ?? TestPeers.NewPeerId())}&port={port}&left=1000&compact=1";

    [Fact]
    public async Task Udp_announces_beyond_the_rate_get_a_bep15_error_and_add_no_peer()
    {
        using var session = Udp("127.0.0.21");
        await session.ConnectAsync();
        var hash = InfoHash.Read(TestPeers.NewInfoHash());
        // One peer re-announcing (so the per-swarm peer limit is not what refuses). Twice the limit
        // and one: however the burst falls across a minute's edge, one is refused.
        var peerId = TestPeers.NewPeerId();
        var refusals = new List<string>();
        for (var i = 0; i < 2 * RatePerMinute + 1; i++)
        {
            try
            {
                await session.AnnounceAsync(Announce(hash, 7000, peerId), "");
            }
            catch (TrackerFailureException e)
            {
                refusals.Add(e.Message);
            }
        }
        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.Equal("too many announces from this address, retry later", r));
        var stats = await Stats();
        Assert.True(stats.GetProperty("announces_rate_limited").GetInt64() >= refusals.Count);
    }

    [Fact]
    public async Task Http_announces_beyond_the_rate_get_a_bencoded_failure_reason()
    {
        using var http = Http("127.0.0.22");
        var hash = TestPeers.NewInfoHash();
        var peerId = TestPeers.NewPeerId();
        var failures = new List<string?>();
        for (var i = 0; i < 2 * RatePerMinute + 1; i++)
            failures.Add(TrackerHttpClient.Failure(BencodeDecoder.DecodeDict(await http.GetByteArrayAsync(HttpAnnounce(hash, 7000, peerId)))));
        Assert.Contains("too many announces from this address, retry later", failures);
        Assert.All(failures.Where(f => f is not null), f => Assert.Equal("too many announces from this address, retry later", f));
    }

    [Fact]
    public async Task Peers_beyond_the_per_address_limit_are_refused_over_udp_and_http_and_the_swarm_keeps_the_first_ones()
    {
        var hash = TestPeers.NewInfoHash();
        using (var session = Udp("127.0.0.23"))
        {
            await session.ConnectAsync();
            for (var i = 0; i < PeersPerAddress; i++)
                await session.AnnounceAsync(Announce(InfoHash.Read(hash), (ushort)(7100 + i)), "");
            var refused = await Assert.ThrowsAsync<TrackerFailureException>(() => session.AnnounceAsync(Announce(InfoHash.Read(hash), 7199), ""));
            Assert.Equal("too many peers from this address in this torrent", refused.Message);
        }
        using (var http = Http("127.0.0.24"))
        {
            for (var i = 0; i < PeersPerAddress; i++)
                Assert.Null(TrackerHttpClient.Failure(BencodeDecoder.DecodeDict(await http.GetByteArrayAsync(HttpAnnounce(hash, (ushort)(7200 + i))))));
            Assert.Equal("too many peers from this address in this torrent",
                TrackerHttpClient.Failure(BencodeDecoder.DecodeDict(await http.GetByteArrayAsync(HttpAnnounce(hash, 7299)))));
        }
        using var scrape = Udp("127.0.0.25");
        await scrape.ConnectAsync();
        var counts = (await scrape.ScrapeAsync([InfoHash.Read(hash)])).Files[0].Counts;
        Assert.Equal(2 * PeersPerAddress, counts.Leechers);

        var stats = await Stats();
        Assert.True(stats.GetProperty("peers_per_address_refused").GetInt64() >= 2);
        using var api = new HttpClient();
        var prometheus = await api.GetStringAsync($"http://127.0.0.1:{Tracker.Ports.Api}/api/v1/metrics?format=prometheus&token=MyAccessToken");
        Assert.Matches(@"(?m)^peers_per_address_refused [1-9]\d*$", prometheus);
        Assert.Matches(@"(?m)^announces_rate_limited \d+$", prometheus);
    }

    private async Task<JsonElement> Stats()
    {
        using var api = new HttpClient();
        return JsonDocument.Parse(await api.GetStringAsync($"http://127.0.0.1:{Tracker.Ports.Api}/api/v1/stats?token=MyAccessToken")).RootElement.Clone();
    }
}
