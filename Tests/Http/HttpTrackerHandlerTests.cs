using OrleansTracker.Frontends.Protocol;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansTracker.Frontends;
using OrleansTracker.Frontends.Http;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Logic;
using Xunit;

namespace OrleansTracker.Tests.Http;

/// <summary>
/// The BEP 3 handler on its own, with a fake seam: what it hands over (key, connection address,
/// forwarded field), and how it answers a bad query, a refusal, a result and a failed call.
/// </summary>
public sealed class HttpTrackerHandlerTests
{
    private const string Hash = "hhhhhhhhhhhhhhhhhhhh";
    private const string Announce = "info_hash=" + Hash + "&peer_id=-qB4650-pppppppppppp&port=6881&left=9&numwant=3";

    private readonly FakeTrackerLogic _logic = new();
    private readonly TrackerStatistics _statistics = new();
    private readonly HttpTrackerHandler _handler;

    public HttpTrackerHandlerTests() =>
        _handler = new HttpTrackerHandler(_logic, Options.Create(new FrontendOptions { AnnounceIntervalSeconds = 1800, AnnounceIntervalMinSeconds = 900, MaxScrapeHashes = 2 }),
            _statistics, NullLogger<HttpTrackerHandler>.Instance);

    [Fact]
    public async Task an_announce_hands_the_seam_the_query_the_key_and_the_origin_and_writes_the_result()
    {
        _logic.Result = new AnnounceResult(Seeders: 2, Leechers: 1, Completed: 7, Peers4: [.. "iiiipp"u8], Peers6: [], PeerIds: []);
        var context = Request("/announce/KEY", Announce, "198.51.100.7");
        context.Request.Headers["X-Forwarded-For"] = new(["10.0.0.1", "192.0.2.1, 203.0.113.9"]);

        await _handler.Announce(context, "KEY");

        var seen = Assert.Single(_logic.Announces);
        Assert.Equal((InfoHash.Read(Encoding.ASCII.GetBytes(Hash)), (ushort)6881, 9L, 3), (seen.InfoHash, seen.Port, seen.Left, seen.NumWant));
        Assert.Equal(("KEY", PeerFamilies.Both, false), (seen.Key, seen.Families, seen.IncludePeerIds));
        Assert.Equal(PeerEndpoint.FromIPAddress(IPAddress.Parse("198.51.100.7"), 0), seen.Source);
        Assert.Equal(("192.0.2.1, 203.0.113.9", true), (seen.ForwardedFor, seen.OverHttp));
        var body = Body(context);
        Assert.Equal((2L, 1L, 7L, 1800L, 900L), ((long)body["complete"], (long)body["incomplete"], (long)body["downloaded"], (long)body["interval"], (long)body["min interval"]));
        Assert.Equal("iiiipp"u8.ToArray(), body["peers"]);
        Assert.Equal(1, _statistics.Snapshot().Tcp4Announces);
    }

    [Fact]
    public async Task a_non_compact_announce_asks_for_peer_ids()
    {
        await _handler.Announce(Request("/announce", Announce + "&compact=0", "2001:db8::7"), null);
        var seen = Assert.Single(_logic.Announces);
        Assert.True(seen.IncludePeerIds);
        Assert.Equal("", seen.Key);
        Assert.Equal(1, _statistics.Snapshot().Tcp6Announces);
    }

    [Fact]
    public async Task a_bad_query_fails_with_a_reason_before_the_seam()
    {
        var context = Request("/announce", "info_hash=short", "198.51.100.7");
        await _handler.Announce(context, null);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("invalid info_hash", Failure(context));
        Assert.Empty(_logic.Announces);
    }

    [Theory]
    [InlineData(Refusal.KeyUnknown, "unknown authentication key")]
    [InlineData(Refusal.ClientAddressUnknown, "missing or invalid X-Forwarded-For header")]
    public async Task a_refusal_is_a_failure_reason(Refusal refusal, string reason)
    {
        _logic.Refuse = refusal;
        var announce = Request("/announce", Announce, "198.51.100.7");
        await _handler.Announce(announce, null);
        Assert.Equal(reason, Failure(announce));
        var scrape = Request("/scrape", "info_hash=" + Hash, "198.51.100.7");
        await _handler.Scrape(scrape, null);
        Assert.Equal(reason, Failure(scrape));
        Assert.Equal(new ProtocolCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), _statistics.Snapshot());
    }

    [Fact]
    public async Task a_failed_call_is_tracker_temporarily_unavailable()
    {
        _logic.Failure = new TimeoutException("silo gone");
        var announce = Request("/announce", Announce, "198.51.100.7");
        await _handler.Announce(announce, null);
        Assert.Equal("tracker temporarily unavailable", Failure(announce));
        var scrape = Request("/scrape", "info_hash=" + Hash, "198.51.100.7");
        await _handler.Scrape(scrape, null);
        Assert.Equal("tracker temporarily unavailable", Failure(scrape));
    }

    [Fact]
    public async Task a_scrape_hands_over_at_most_max_scrape_hashes_with_the_key_and_writes_their_counts()
    {
        _logic.Counts = _ => new SwarmCounts(4, 5, 6);
        var other = new string('o', 20);
        var context = Request("/scrape/KEY", $"info_hash={Hash}&info_hash={other}&info_hash={Hash}", "198.51.100.7");
        await _handler.Scrape(context, "KEY");
        var seen = Assert.Single(_logic.Scrapes);
        Assert.Equal(2, seen.Hashes.Length);
        Assert.Equal(("KEY", true), (seen.Key, seen.OverHttp));
        var files = (Dictionary<string, object>)Body(context)["files"];
        Assert.Equal(2, files.Count);
        var entry = (Dictionary<string, object>)files[Hash];
        Assert.Equal((4L, 6L, 5L), ((long)entry["complete"], (long)entry["downloaded"], (long)entry["incomplete"]));
        Assert.Equal(1, _statistics.Snapshot().Tcp4Scrapes);
    }

    [Fact]
    public async Task a_client_that_accepts_gzip_gets_gzip()
    {
        var context = Request("/announce", Announce, "198.51.100.7");
        context.Request.Headers.AcceptEncoding = "gzip, deflate";
        await _handler.Announce(context, null);
        Assert.Equal("gzip", context.Response.Headers.ContentEncoding.ToString());
        using var gzip = new GZipStream(new MemoryStream(((MemoryStream)context.Response.Body).ToArray()), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.Equal(1800L, BencodeDecoder.DecodeDict(plain.ToArray())["interval"]);
    }

    private static DefaultHttpContext Request(string path, string query, string remote)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new QueryString("?" + query);
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static Dictionary<string, object> Body(HttpContext context) =>
        BencodeDecoder.DecodeDict(((MemoryStream)context.Response.Body).ToArray());

    private static string Failure(HttpContext context) => Encoding.UTF8.GetString((byte[])Body(context)["failure reason"]);
}
