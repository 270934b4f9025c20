using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Tests.Protocol;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// The fuzz generators (Tests/Protocol/Fuzz*Tests.cs) aimed at the real tracker process: wire-shaped
/// hostile packets and queries get a sane answer or none, and the tracker keeps serving afterwards.
/// Bounded: a few hundred inputs per protocol, each with a short wait.
/// </summary>
public sealed class HostileInputTests(PublicTrackerFixture fixture) : IClassFixture<PublicTrackerFixture>
{
    private const int Inputs = 250;

    [Fact]
    public async Task hostile_udp_packets_with_a_valid_connection_id_get_sane_answers_and_the_tracker_keeps_serving()
    {
        var tracker = new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp);
        var announced = 0;
        foreach (var packet in FuzzUdpTests.Packet.Array[Inputs].Single())
        {
            // A socket per packet: an answer that comes after the wait cannot be taken for the next
            // packet's. Announce and scrape come from a verified sender, so their bodies get past
            // the connection id check.
            using var client = new UdpTrackerClient(tracker, TimeSpan.FromSeconds(5));
            var action = packet.Length >= 16 ? BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(8)) : -1;
            if (action is 1 or 2)
            {
                var connectionId = await client.ConnectAsync();
                BinaryPrimitives.WriteInt64BigEndian(packet, connectionId);
            }
            var answer = await client.SendRawAsync(packet, TimeSpan.FromMilliseconds(action is 0 or 1 or 2 ? 300 : 10));
            if (answer is null)
                continue;
            var hex = Convert.ToHexString(packet);
            Assert.True(packet.Length >= 16 && answer.Length >= 8, "answered a packet without a transaction id: " + hex);
            Assert.True(packet.AsSpan(12, 4).SequenceEqual(answer.AsSpan(4, 4)), "transaction id echoed: " + hex);
            var answerAction = BinaryPrimitives.ReadInt32BigEndian(answer);
            Assert.True(answerAction == action || (answerAction == 3 && answer.Length <= packet.Length), "answer action or size: " + hex);
            announced += answerAction == 1 ? 1 : 0;
        }
        Assert.True(announced > 0, "no generated announce reached the swarm");
        using var fresh = new UdpTrackerClient(tracker);
        await fresh.ConnectAsync();
        Assert.Equal(1, (await fresh.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 1, left: 1)).Leechers);
    }

    [Fact]
    public async Task hostile_http_queries_get_strict_bencode_or_an_http_error_and_the_tracker_keeps_serving()
    {
        var (answered, announced) = (0, 0);
        foreach (var (query, i) in FuzzHttpTests.Query.Array[Inputs].Single().Select((q, i) => (q, i)))
        {
            var (status, body) = await GetRawAsync((i % 2 == 0 ? "/announce?" : "/scrape?") + Sendable(query));
            // Kestrel may still refuse a request target (400) before the tracker sees it.
            Assert.True(status is 200 or 400, $"HTTP {status} for {query}");
            if (status != 200)
                continue;
            var answer = BencodeDecoder.DecodeDict(body);
            Assert.True(answer.ContainsKey("failure reason") || answer.ContainsKey("interval") || answer.ContainsKey("files"), "answer keys for " + query);
            answered++;
            announced += answer.ContainsKey("interval") ? 1 : 0;
        }
        // Not a vacuous run: most queries reach the tracker's parser and some are real announces.
        Assert.True(answered > Inputs / 2 && announced > 0, $"{answered} answered, {announced} announces");
        var hash = TestPeers.PercentEncode(TestPeers.NewInfoHash());
        var (okStatus, okBody) = await GetRawAsync($"/announce?info_hash={hash}&peer_id={hash}&port=1&left=1");
        Assert.Equal(200, okStatus);
        Assert.Equal(1L, BencodeDecoder.DecodeDict(okBody)["incomplete"]);
    }

    /// <summary>
    /// Kestrel refuses raw bytes outside printable ASCII in a request target, so those chars are
    /// sent as %XX of the same byte (UTF-8 bytes above U+00FF): the tracker decodes the same value.
    /// Broken escapes, '+', '&amp;' and '=' are printable and reach the parser as generated.
    /// </summary>
    private static string Sendable(string query) =>
        string.Concat(query.Select(c => c is > ' ' and < (char)0x7F and not '#'
            ? c.ToString()
            : string.Concat((c <= 0xFF ? [(byte)c] : Encoding.UTF8.GetBytes(c.ToString())).Select(b => $"%{b:X2}"))));

    /// <summary>
    /// One request written byte for byte (HttpClient would re-escape or refuse the hostile target),
    /// Latin-1 so every query char becomes one byte; Connection: close so the answer ends the stream.
    /// </summary>
    private async Task<(int Status, byte[] Body)> GetRawAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.Tracker.Ports.Http);
        var stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), timeout.Token);
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, timeout.Token);
        var raw = all.ToArray();
        var headerEnd = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(headerEnd > 12, "no HTTP response for " + target);
        return (int.Parse(Encoding.ASCII.GetString(raw, 9, 3), System.Globalization.CultureInfo.InvariantCulture), raw[(headerEnd + 4)..]);
    }
}
