using System.Net;
using System.Text;
using OrleansTracker.Frontends.Client;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Protocol.WebSocket;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.TrackerClient;

/// <summary>
/// The client's request codecs are read back by the tracker's own parsers (each side written
/// independently), and the answer reader takes the shapes other trackers send.
/// </summary>
public sealed class ClientCodecTests
{
    private static readonly ClientAnnounce Announce = new(
        InfoHash.Read(TestPeers.NewInfoHash()), PeerId.Read(TestPeers.NewPeerId()), Downloaded: 7, Left: 1234, Uploaded: 99,
        AnnounceEvent.Completed, Key: 42, NumWant: 30, Port: 51413);

    [Fact]
    public void the_http_announce_query_parses_back_to_the_same_announce_after_the_urls_own_query()
    {
        var url = HttpClientQuery.Announce("/announce?passkey=abc", Announce);
        Assert.StartsWith("/announce?passkey=abc&info_hash=", url, StringComparison.Ordinal);
        Assert.True(HttpRequestParser.TryParseAnnounce(url.AsSpan(url.IndexOf('?', StringComparison.Ordinal) + 1), out var parsed, out var failure), failure);
        Assert.Equal((Announce.InfoHash, Announce.PeerId, Announce.Port, 99L, 7L, 1234L, AnnounceEvent.Completed, true, 30),
            (parsed.InfoHash, parsed.PeerId, parsed.Port, parsed.Uploaded, parsed.Downloaded, parsed.Left, parsed.Event, parsed.Compact, parsed.NumWant));
    }

    [Fact]
    public void the_http_scrape_query_parses_back_to_the_same_hashes()
    {
        InfoHash[] hashes = [InfoHash.Read(TestPeers.NewInfoHash()), InfoHash.Read(TestPeers.NewInfoHash())];
        var url = HttpClientQuery.Scrape("/scrape", hashes);
        var parsed = new InfoHash[4];
        Assert.True(HttpRequestParser.TryParseScrape(url.AsSpan("/scrape?".Length), parsed, out var count, out _, out var failure), failure);
        Assert.Equal(hashes, parsed[..count]);
    }

    [Fact]
    public void the_websocket_announce_and_scrape_parse_back_with_the_trackers_parser()
    {
        var frame = new byte[WebSocketClientMessages.MaxAnnounceLength];
        var length = WebSocketClientMessages.WriteAnnounce(frame, Announce);
        Assert.True(WebSocketRequestParser.TryParse(frame.AsSpan(0, length), new WebSocketOffer[4], new InfoHash[4], out var announce, out var error), error.ToString());
        Assert.Equal((WebSocketAction.Announce, Announce.InfoHash, Announce.PeerId, 1234L, AnnounceEvent.Completed, 30, 0),
            (announce.Action, announce.InfoHash, announce.PeerId, announce.Left, announce.Event, announce.NumWant, announce.OfferCount));

        InfoHash[] hashes = [Announce.InfoHash, InfoHash.Read(TestPeers.NewInfoHash())];
        frame = new byte[WebSocketClientMessages.MaxScrapeLength(hashes.Length)];
        length = WebSocketClientMessages.WriteScrape(frame, hashes);
        var parsed = new InfoHash[4];
        Assert.True(WebSocketRequestParser.TryParse(frame.AsSpan(0, length), [], parsed, out var scrape, out error), error.ToString());
        Assert.Equal(hashes, parsed[..scrape.InfoHashCount]);
    }

    [Fact]
    public void an_http_answer_with_dictionary_peers_and_peers6_and_unsorted_keys_is_read()
    {
        var body = Encoding.Latin1.GetBytes("d8:intervali900e5:peersld2:ip8:10.0.0.14:porti6881eed2:ip3:::14:porti51413eee6:peers618:"
            + Encoding.Latin1.GetString([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1A, 0xE1]) + "8:completei3ee");
        var answer = HttpTrackerAnswers.Announce(body);
        Assert.Equal((900, (int?)3, (int?)null, (int?)null), (answer.Interval, answer.Seeders, answer.Leechers, answer.MinInterval));
        Assert.Equal(
            [new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6881), new IPEndPoint(IPAddress.IPv6Loopback, 51413), new IPEndPoint(IPAddress.IPv6Loopback, 6881)],
            answer.Peers);
    }

    [Theory]
    [InlineData("d14:failure reason6:no waye", typeof(TrackerFailureException))]
    [InlineData("<html>busy</html>", typeof(TrackerProtocolException))]
    [InlineData("d5:peers0:e", typeof(TrackerProtocolException))] // no interval
    public void a_failure_or_an_unreadable_answer_throws_the_matching_exception(string body, Type expected) =>
        Assert.Throws(expected, () => HttpTrackerAnswers.Announce(Encoding.Latin1.GetBytes(body)));

    [Theory]
    [InlineData("udp://tracker.example:6969", null, "", null)]
    [InlineData("udp://tracker.example:6969/announce?x=1", null, "/announce?x=1", "/scrape?x=1")]
    [InlineData("udp://[::1]:6969", "Key1", "/announce/Key1", "/scrape/Key1")]
    [InlineData("http://tracker.example:80", null, "/announce", "/scrape")]
    [InlineData("http://tracker.example/announce.php?passkey=p", null, "/announce.php?passkey=p", "/scrape.php?passkey=p")]
    [InlineData("https://tracker.example/announce", "Key1", "/announce/Key1", "/scrape/Key1")]
    [InlineData("http://tracker.example/announce/Key2", null, "/announce/Key2", "/scrape/Key2")]
    [InlineData("http://tracker.example/tracker", null, "/tracker", null)]
    [InlineData("http://tracker.example/announcements", null, "/announcements", null)]
    [InlineData("ws://tracker.example:8000", null, "/announce", "/scrape")]
    public void the_key_goes_after_announce_and_the_scrape_path_follows_bep_48(string text, string? key, string announce, string? scrape)
    {
        var url = TrackerUrl.Parse(text, key);
        Assert.Equal(announce, url.AnnouncePathAndQuery);
        Assert.Equal(scrape, url.ScrapePathAndQuery);
    }

    [Theory]
    [InlineData("udp://[::1]:6969", "::1", 6969)]
    [InlineData("wss://tracker.example", "tracker.example", 443)]
    public void host_and_port_come_out_without_brackets_and_with_the_schemes_default(string text, string host, int port)
    {
        var url = TrackerUrl.Parse(text);
        Assert.Equal((host, port), (url.Host, url.Port));
    }

    [Theory]
    [InlineData("tracker.example:6969")]
    [InlineData("udp://tracker.example")]
    [InlineData("ftp://tracker.example:21")]
    [InlineData("http://user:pw@tracker.example/announce")]
    public void a_url_that_is_no_tracker_url_is_refused(string text) => Assert.Throws<FormatException>(() => TrackerUrl.Parse(text));

    [Fact]
    public void a_key_that_is_not_letters_and_digits_is_refused() =>
        Assert.Throws<FormatException>(() => TrackerUrl.Parse("http://tracker.example/announce", "a/b"));
}
