using OrleansTracker.Frontends.Protocol;
using System.Net.WebSockets;
using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.WebTorrent.WsTrackerClient;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>The WebTorrent tracker over real sockets against the real process: both families, TLS, relays, counts.</summary>
public sealed class WsEndToEndTests(WsTrackerFixture fixture) : IClassFixture<WsTrackerFixture>
{
    private const string Offer = """{"type":"offer","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}""";
    private const string Answer = """{"type":"answer","sdp":"v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n"}""";

    [Fact]
    public async Task offer_from_an_ipv6_peer_reaches_an_ipv4_peer_and_the_answer_comes_back()
    {
        var hash = TestPeers.NewInfoHash();
        var (idA, idB, offerId) = (TestPeers.NewPeerId(), TestPeers.NewPeerId(), TestPeers.NewPeerId());
        await using var a = await ConnectAsync(fixture.Ws4);
        await using var b = await ConnectAsync(fixture.Ws6);

        await a.AnnounceAsync(hash, idA, ",\"left\":0,\"event\":\"started\"");
        var first = await a.ReceiveAsync();
        Assert.Equal("announce", first.GetProperty("action").GetString());
        Assert.Equal(hash, Bytes(first.GetProperty("info_hash")));
        Assert.Equal(1, first.GetProperty("complete").GetInt32());
        Assert.Equal(0, first.GetProperty("incomplete").GetInt32());
        Assert.Equal(120, first.GetProperty("interval").GetInt32());

        await b.AnnounceAsync(hash, idB, $",\"left\":100,\"event\":\"started\",\"numwant\":1,\"offers\":[{{\"offer\":{Offer},\"offer_id\":{Binary(offerId)}}}]");
        var second = await b.ReceiveAsync();
        Assert.Equal((1, 1), (second.GetProperty("complete").GetInt32(), second.GetProperty("incomplete").GetInt32()));

        var offer = await a.ReceiveAsync();
        Assert.Equal(idB, Bytes(offer.GetProperty("peer_id")));
        Assert.Equal(offerId, Bytes(offer.GetProperty("offer_id")));
        Assert.Equal(hash, Bytes(offer.GetProperty("info_hash")));
        Assert.Equal(Offer, offer.GetProperty("offer").GetRawText());

        await a.SendAsync($$"""{"action":"announce","info_hash":{{Binary(hash)}},"peer_id":{{Binary(idA)}},"to_peer_id":{{Binary(idB)}},"offer_id":{{Binary(offerId)}},"answer":{{Answer}}}""");
        var answer = await b.ReceiveAsync();
        Assert.Equal(idA, Bytes(answer.GetProperty("peer_id")));
        Assert.Equal(offerId, Bytes(answer.GetProperty("offer_id")));
        Assert.Equal(Answer, answer.GetProperty("answer").GetRawText());
    }

    [Fact]
    public async Task websocket_peers_are_counted_by_http_scrape_but_never_handed_to_http_clients_nor_the_reverse()
    {
        var hash = TestPeers.NewInfoHash();
        await using var ws = await ConnectAsync(fixture.Ws4);
        await ws.AnnounceAsync(hash, TestPeers.NewPeerId(), ",\"left\":0");
        await ws.ReceiveAsync();

        using var http = new HttpClient();
        var announce = $"{fixture.Http}/announce?info_hash={TestPeers.PercentEncode(hash)}&peer_id={TestPeers.PercentEncode(TestPeers.NewPeerId())}&port=6881&left=5&compact=1";
        var body = await http.GetByteArrayAsync(announce);
        var decoded = BencodeDecoder.DecodeDict(body);
        Assert.Equal(1L, decoded["complete"]);
        Assert.Equal(1L, decoded["incomplete"]);
        Assert.Empty((byte[])decoded["peers"]);

        // Two offers from a second WebSocket peer: the HTTP peer cannot take one, so exactly one
        // reaches the first WebSocket peer. Relays are queued before the announcer's response is
        // sent, so the first peer's next message after the offer is its own scrape's response.
        await using var other = await ConnectAsync(fixture.Ws4);
        var offers = string.Join(',', Enumerable.Range(0, 2).Select(_ => $"{{\"offer\":{Offer},\"offer_id\":{Binary(TestPeers.NewPeerId())}}}"));
        await other.AnnounceAsync(hash, TestPeers.NewPeerId(), $",\"left\":3,\"numwant\":2,\"offers\":[{offers}]");
        Assert.Equal(2, (await other.ReceiveAsync()).GetProperty("incomplete").GetInt32());
        Assert.True((await ws.ReceiveAsync()).TryGetProperty("offer", out _));
        await ws.SendAsync($$"""{"action":"scrape","info_hash":{{Binary(hash)}}}""");
        Assert.Equal("scrape", (await ws.ReceiveAsync()).GetProperty("action").GetString());
    }

    [Fact]
    public async Task scrape_takes_one_hash_or_a_list_and_counts_stopped_and_closed_peers_out()
    {
        var (hash1, hash2) = (TestPeers.NewInfoHash(), TestPeers.NewInfoHash());
        var (seeder, leecher) = (TestPeers.NewPeerId(), TestPeers.NewPeerId());
        await using var client = await ConnectAsync(fixture.Ws6);
        await client.AnnounceAsync(hash1, seeder, ",\"left\":0");
        await client.ReceiveAsync();
        var closing = await ConnectAsync(fixture.Ws4);
        await closing.AnnounceAsync(hash1, leecher, ",\"left\":9");
        await closing.ReceiveAsync();

        await client.SendAsync($$"""{"action":"scrape","info_hash":[{{Binary(hash1)}},{{Binary(hash2)}}]}""");
        var files = (await client.ReceiveAsync()).GetProperty("files");
        var counts = files.EnumerateObject().ToDictionary(f => Convert.ToHexString(Bytes(JsonDocument.Parse(JsonSerializer.Serialize(f.Name)).RootElement)), f => f.Value);
        Assert.Equal(1, counts[Convert.ToHexString(hash1)].GetProperty("complete").GetInt32());
        Assert.Equal(1, counts[Convert.ToHexString(hash1)].GetProperty("incomplete").GetInt32());
        Assert.Equal(0, counts[Convert.ToHexString(hash2)].GetProperty("complete").GetInt32());

        // A closed socket takes its peer out of the swarm; a stopped announce takes the peer out at once.
        await closing.DisposeAsync();
        await client.AnnounceAsync(hash1, seeder, ",\"left\":0,\"event\":\"stopped\"");
        Assert.Equal(0, (await client.ReceiveAsync()).GetProperty("complete").GetInt32());
        await Eventually.Equal((0, 0), async () =>
        {
            await client.SendAsync($$"""{"action":"scrape","info_hash":{{Binary(hash1)}}}""");
            var file = (await client.ReceiveAsync()).GetProperty("files").EnumerateObject().Single().Value;
            return (file.GetProperty("complete").GetInt32(), file.GetProperty("incomplete").GetInt32());
        }, "peers left after stopped and close", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task a_closed_socket_takes_its_peers_out_of_every_swarm_it_joined()
    {
        var hashes = new[] { TestPeers.NewInfoHash(), TestPeers.NewInfoHash() };
        var closing = await ConnectAsync(fixture.Ws6);
        for (var i = 0; i < hashes.Length; i++)
        {
            await closing.AnnounceAsync(hashes[i], TestPeers.NewPeerId(), $",\"left\":{i * 5}");   // a seeder in one, a leecher in the other
            await closing.ReceiveAsync();
        }
        await using var watcher = await ConnectAsync(fixture.Ws4);
        async Task<string> Peers()
        {
            await watcher.SendAsync($"{{\"action\":\"scrape\",\"info_hash\":[{Binary(hashes[0])},{Binary(hashes[1])}]}}");
            var files = (await watcher.ReceiveAsync()).GetProperty("files").EnumerateObject();
            return string.Join(',', files.Select(f => f.Value.GetProperty("complete").GetInt32() + f.Value.GetProperty("incomplete").GetInt32()));
        }
        Assert.Equal("1,1", await Peers());

        await closing.DisposeAsync();
        await Eventually.Equal("0,0", Peers, "both swarms empty after the close", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task completed_is_counted_once_and_a_peer_id_belongs_to_its_connection()
    {
        var hash = TestPeers.NewInfoHash();
        var id = TestPeers.NewPeerId();
        await using var owner = await ConnectAsync(fixture.Wss, fixture.CertificatePem);
        await owner.AnnounceAsync(hash, id, ",\"left\":5,\"event\":\"started\"");
        await owner.ReceiveAsync();
        await owner.AnnounceAsync(hash, id, ",\"left\":0,\"event\":\"completed\"");
        await owner.ReceiveAsync();
        await owner.AnnounceAsync(hash, id, ",\"left\":0,\"event\":\"completed\"");
        await owner.ReceiveAsync();

        // Peer ids are public (every offer carries one): another connection may not stop this peer.
        await using var thief = await ConnectAsync(fixture.Ws4);
        await thief.AnnounceAsync(hash, id, ",\"left\":0,\"event\":\"stopped\"");
        var refused = await thief.ReceiveAsync();
        Assert.Contains("another connection", refused.GetProperty("failure reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(hash, Bytes(refused.GetProperty("info_hash")));

        await thief.SendAsync($$"""{"action":"scrape","info_hash":{{Binary(hash)}}}""");
        var file = (await thief.ReceiveAsync()).GetProperty("files").EnumerateObject().Single().Value;
        Assert.Equal((1, 1), (file.GetProperty("complete").GetInt32(), file.GetProperty("downloaded").GetInt32()));
    }

    [Theory]
    [InlineData("{\"action\":\"announce\"", "malformed JSON")]
    [InlineData("{\"action\":\"announce\",\"info_hash\":\"AAAAAAAAAAAAAAAAAAA\",\"peer_id\":\"-XX0000-BBBBBBBBBBBB\"}", "invalid info_hash")]
    [InlineData("{\"action\":\"announce\",\"info_hash\":\"AAAAAAAAAAAAAAAAAAAAA\",\"peer_id\":\"-XX0000-BBBBBBBBBBBB\"}", "invalid info_hash")]
    [InlineData("{\"action\":\"connect\"}", "invalid action")]
    [InlineData("[1,2]", "a message must be a JSON object")]
    [InlineData("{\"action\":\"announce\",\"info_hash\":12345,\"peer_id\":\"-XX0000-BBBBBBBBBBBB\"}", "invalid info_hash")]
    [InlineData("{\"action\":\"announce\",\"info_hash\":\"AAAAAAAAAAAAAAAAAAAA\",\"peer_id\":\"-XX0000-BBBBBBBBBBBB\",\"numwant\":\"5\"}", "invalid numwant, uploaded, downloaded or left")]
    [InlineData("{\"action\":\"announce\",\"info_hash\":\"AAAAAAAAAAAAAAAAAAAA\",\"peer_id\":\"-XX0000-BBBBBBBBBBBB\",\"offers\":{}}", "invalid offers")]
    [InlineData("{\"action\":\"announce\",\"info_hash\":\"AAAAAAAAAAAAAAAAAAAA\",\"peer_id\":\"-XX0000-BBBBBBBBBBBB\",\"event\":7}", "invalid event")]
    [InlineData("{\"action\":[\"scrape\"]}", "invalid action")]
    public async Task malformed_messages_get_a_failure_reason_and_the_connection_goes_on(string message, string reason)
    {
        await using var client = await ConnectAsync(fixture.Ws4);
        await client.SendAsync(message);
        Assert.Equal(reason, (await client.ReceiveAsync()).GetProperty("failure reason").GetString());
        await client.SendAsync(System.Text.Encoding.UTF8.GetBytes("{}"), WebSocketMessageType.Binary);
        Assert.Contains("binary", (await client.ReceiveAsync()).GetProperty("failure reason").GetString(), StringComparison.Ordinal);
        await client.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId());
        Assert.Equal(1, (await client.ReceiveAsync()).GetProperty("incomplete").GetInt32());
    }

    [Fact]
    public async Task an_answer_for_a_peer_that_has_gone_is_dropped_and_counted()
    {
        var hash = TestPeers.NewInfoHash();
        var (idA, idB, offerId) = (TestPeers.NewPeerId(), TestPeers.NewPeerId(), TestPeers.NewPeerId());
        await using var a = await ConnectAsync(fixture.Ws4);
        await a.AnnounceAsync(hash, idA, ",\"left\":0");
        await a.ReceiveAsync();
        var b = await ConnectAsync(fixture.Ws6);
        await b.AnnounceAsync(hash, idB, $",\"left\":9,\"offers\":[{{\"offer\":{Offer},\"offer_id\":{Binary(offerId)}}}]");
        await b.ReceiveAsync();
        await a.ReceiveAsync();   // B's offer

        // B closes before A answers: once its swarm has let B go, the answer has nowhere to go.
        await b.DisposeAsync();
        await Eventually.Equal(0, async () =>
        {
            await a.SendAsync($$"""{"action":"scrape","info_hash":{{Binary(hash)}}}""");
            return (await a.ReceiveAsync()).GetProperty("files").EnumerateObject().Single().Value.GetProperty("incomplete").GetInt32();
        }, "B out of the swarm after its close", TimeSpan.FromSeconds(10));
        var before = await fixture.StatAsync("ws_offers_dropped");
        await a.SendAsync($$"""{"action":"announce","info_hash":{{Binary(hash)}},"peer_id":{{Binary(idA)}},"to_peer_id":{{Binary(idB)}},"offer_id":{{Binary(offerId)}},"answer":{{Answer}}}""");
        await Eventually.Equal(before + 1, () => fixture.StatAsync("ws_offers_dropped"), "the dropped answer counted", TimeSpan.FromSeconds(10));

        // A's connection goes on.
        await a.AnnounceAsync(hash, idA, ",\"left\":0");
        Assert.Equal(1, (await a.ReceiveAsync()).GetProperty("complete").GetInt32());
    }

    [Fact]
    public async Task plain_http_on_the_websocket_port_is_told_to_upgrade()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{fixture.Ws4Port}/announce");
        Assert.Equal(System.Net.HttpStatusCode.UpgradeRequired, response.StatusCode);
        using var other = await http.GetAsync($"http://127.0.0.1:{fixture.Ws4Port}/scrape");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task stats_and_prometheus_count_websocket_connections_announces_scrapes_and_relays_by_family()
    {
        using var http = new HttpClient();
        async Task<Dictionary<string, long>> Stats()
        {
            var json = await http.GetStringAsync($"{fixture.Api}/api/v1/stats?token={WsTrackerFixture.Token}");
            return JsonDocument.Parse(json).RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Number)
                .ToDictionary(p => p.Name, p => p.Value.GetInt64());
        }
        var before = await Stats();
        var hash = TestPeers.NewInfoHash();
        await using (var a = await ConnectAsync(fixture.Ws4))
        await using (var b = await ConnectAsync(fixture.Ws6))
        {
            await a.AnnounceAsync(hash, TestPeers.NewPeerId());
            await a.ReceiveAsync();
            await b.AnnounceAsync(hash, TestPeers.NewPeerId(), $",\"offers\":[{{\"offer\":{Offer},\"offer_id\":{Binary(TestPeers.NewPeerId())}}}]");
            await b.ReceiveAsync();
            await a.ReceiveAsync();   // the offer
            await b.SendAsync($$"""{"action":"scrape","info_hash":{{Binary(hash)}}}""");
            await b.ReceiveAsync();
        }
        var expected = new Dictionary<string, long>
        {
            ["ws4_connections_handled"] = 1, ["ws4_announces_handled"] = 1, ["ws4_scrapes_handled"] = 0,
            ["ws6_connections_handled"] = 1, ["ws6_announces_handled"] = 1, ["ws6_scrapes_handled"] = 1,
            ["ws_offers_relayed"] = 1, ["ws_offers_dropped"] = 0,
        };
        var after = await Stats();
        Assert.Equal(expected, expected.Keys.ToDictionary(k => k, k => after[k] - before[k]));
        var prometheus = await http.GetStringAsync($"{fixture.Api}/api/v1/metrics?format=prometheus&token={WsTrackerFixture.Token}");
        Assert.Matches(@"(?m)^ws6_scrapes_handled [1-9]\d*$", prometheus);
        Assert.Matches(@"(?m)^ws_offers_relayed [1-9]\d*$", prometheus);
    }
}
