using OrleansTracker.Tests.Support;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

public sealed class HttpRequestParserTests
{
    private const string Hash = "hhhhhhhhhhhhhhhhhhhh";
    private const string Peer = "-qB4650-pppppppppppp";
    private const string Base = "info_hash=" + Hash + "&peer_id=" + Peer + "&port=28784";

    private static string Encode(ReadOnlySpan<byte> bytes, bool lower = false)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
            text.Append('%').Append(b.ToString(lower ? "x2" : "X2", System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static HttpAnnounceRequest Parse(string query)
    {
        Assert.True(HttpRequestParser.TryParseAnnounce(query, out var q, out var reason), reason);
        Assert.Equal(string.Empty, reason);
        return q;
    }

    private static string Failure(string query)
    {
        Assert.False(HttpRequestParser.TryParseAnnounce(query, out _, out var reason));
        return reason;
    }

    [Fact]
    public void minimal_announce_takes_the_defaults()
    {
        var q = Parse(Base);
        Assert.Equal(InfoHash.Read(Encoding.ASCII.GetBytes(Hash)), q.InfoHash);
        Assert.Equal(PeerId.Read(Encoding.ASCII.GetBytes(Peer)), q.PeerId);
        Assert.Equal((ushort)28784, q.Port);
        Assert.Equal((0L, 0L, 0L), (q.Uploaded, q.Downloaded, q.Left));
        Assert.Equal(AnnounceEvent.None, q.Event);
        Assert.True(q.Compact);
        Assert.Equal(-1, q.NumWant);
        Assert.False(q.NoPeerId);
    }

    [Fact]
    public void every_byte_value_percent_encoded_decodes_into_hashes()
    {
        // 0..255 then 0..3 again: 13 hashes of 20 bytes covering every byte value.
        var all = Enumerable.Range(0, 260).Select(i => (byte)i).ToArray();
        for (var h = 0; h < 13; h++)
        {
            var bytes = all.AsSpan(h * 20, 20);
            var q = Parse($"info_hash={Encode(bytes)}&peer_id={Encode(bytes, lower: true)}&port=1");
            Assert.Equal(InfoHash.Read(bytes), q.InfoHash);
            Assert.Equal(PeerId.Read(bytes), q.PeerId);
        }
    }

    [Fact]
    public void mixed_literal_and_encoded_hash_decodes()
    {
        // BEP 3's own example: 12 34 56 78 9a bc de f1 23 45 67 89 ab cd ef 12 34 56 78 9a.
        var q = Parse("info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A&peer_id=" + Peer + "&port=1");
        Assert.Equal(InfoHash.ParseHex("123456789abcdef123456789abcdef123456789a"), q.InfoHash);
        var lower = Parse("info_hash=%124vx%9a%bc%de%f1%23Eg%89%ab%cd%ef%124Vx%9a&peer_id=" + Peer + "&port=1");
        Assert.Equal(InfoHash.ParseHex("123476789abcdef123456789abcdef123456789a"), lower.InfoHash);
    }

    [Fact]
    public void plus_is_its_own_byte_not_a_space()
    {
        var q = Parse("info_hash=+++++++++++++++++++%2B&peer_id=" + Peer + "&port=1");
        Assert.Equal(InfoHash.Read(Enumerable.Repeat((byte)'+', 20).ToArray()), q.InfoHash);
    }

    [Fact]
    public void all_optional_fields_are_read()
    {
        var q = Parse(Base + "&uploaded=1&downloaded=9223372036854775807&left=0&event=completed&compact=0&numwant=50&no_peer_id=1&key=abc");
        Assert.Equal((1L, long.MaxValue, 0L), (q.Uploaded, q.Downloaded, q.Left));
        Assert.Equal(AnnounceEvent.Completed, q.Event);
        Assert.False(q.Compact);
        Assert.Equal(50, q.NumWant);
        Assert.True(q.NoPeerId);
    }

    [Theory]
    [InlineData("started", AnnounceEvent.Started)]
    [InlineData("stopped", AnnounceEvent.Stopped)]
    [InlineData("completed", AnnounceEvent.Completed)]
    [InlineData("empty", AnnounceEvent.None)]
    [InlineData("", AnnounceEvent.None)]
    [InlineData("%73tarted", AnnounceEvent.Started)]
    [InlineData("paused", AnnounceEvent.None)]
    [InlineData("bogus", AnnounceEvent.None)]
    [InlineData("STARTED", AnnounceEvent.None)]
    [InlineData("%ZZ", AnnounceEvent.None)]
    [InlineData("%", AnnounceEvent.None)]
    [InlineData("\u0100", AnnounceEvent.None)]
    [InlineData("startedstartedstartedstartedstarted", AnnounceEvent.None)]
    public void event_values_are_mapped(string value, AnnounceEvent expected) =>
        Assert.Equal(expected, Parse(Base + "&event=" + value).Event);

    /// <summary>
    /// BEP 21: libtorrent sends event=paused on every announce of a torrent that is finished but
    /// not a full seed (some files unticked). It is a regular announce, never a failure.
    /// </summary>
    [Fact]
    public void libtorrent_partial_seed_announce_is_a_regular_announce()
    {
        var q = Parse("info_hash=" + Hash + "&peer_id=-LT2080-pppppppppppp&port=6881&uploaded=0&downloaded=32768"
            + "&left=32768&corrupt=0&key=1A2B3C4D&event=paused&numwant=200&compact=1&no_peer_id=1&supportcrypto=1&redundant=0");
        Assert.Equal(AnnounceEvent.None, q.Event);
        Assert.Equal((6881, 32768L, 32768L), ((int)q.Port, q.Downloaded, q.Left));
        Assert.Equal(200, q.NumWant);
    }

    [Theory]
    [InlineData("-5", -1)]
    [InlineData("-1", -1)]
    [InlineData("0", 0)]
    [InlineData("200", 200)]
    [InlineData("99999999999", int.MaxValue)]
    public void numwant_negative_means_default_and_huge_saturates(string value, int expected) =>
        Assert.Equal(expected, Parse(Base + "&numwant=" + value).NumWant);

    [Fact]
    public void first_of_repeated_parameters_wins_and_unknown_ones_are_ignored()
    {
        var q = Parse("foo&bar=1&" + Base + "&port=1&info_hash=short&=x&&event=started&event=bogus");
        Assert.Equal((ushort)28784, q.Port);
        Assert.Equal(AnnounceEvent.Started, q.Event);
    }

    [Theory]
    [InlineData("peer_id=" + Peer + "&port=1", "missing info_hash")]
    [InlineData("info_hash=hhhhhhhhhhhhhhhhhhh&peer_id=" + Peer + "&port=1", "invalid info_hash")]
    [InlineData("info_hash=hhhhhhhhhhhhhhhhhhhhh&peer_id=" + Peer + "&port=1", "invalid info_hash")]
    [InlineData("info_hash=hhhhhhhhhhhhhhhhhhh%G0&peer_id=" + Peer + "&port=1", "invalid info_hash")]
    [InlineData("info_hash=hhhhhhhhhhhhhhhhhhh%2&peer_id=" + Peer + "&port=1", "invalid info_hash")]
    [InlineData("info_hash=hhhhhhhhhhhhhhhhhhh\u0100&peer_id=" + Peer + "&port=1", "invalid info_hash")]
    [InlineData("info_hash&peer_id=" + Peer + "&port=1", "invalid info_hash")]
    [InlineData("info_hash=" + Hash + "&port=1", "missing peer_id")]
    [InlineData("info_hash=" + Hash + "&peer_id=abc&port=1", "invalid peer_id")]
    [InlineData("info_hash=" + Hash + "&peer_id=" + Peer, "missing port")]
    [InlineData("info_hash=" + Hash + "&peer_id=" + Peer + "&port=65536", "invalid port")]
    [InlineData("info_hash=" + Hash + "&peer_id=" + Peer + "&port=-1", "invalid port")]
    [InlineData("info_hash=" + Hash + "&peer_id=" + Peer + "&port=", "invalid port")]
    [InlineData("info_hash=" + Hash + "&peer_id=" + Peer + "&port=http", "invalid port")]
    [InlineData(Base + "&uploaded=-1", "invalid uploaded")]
    [InlineData(Base + "&downloaded=9223372036854775808", "invalid downloaded")]
    [InlineData(Base + "&left=1.5", "invalid left")]
    [InlineData(Base + "&left=", "invalid left")]
    [InlineData(Base + "&compact=2", "invalid compact")]
    [InlineData(Base + "&numwant=lots", "invalid numwant")]
    [InlineData("", "missing info_hash")]
    public void each_problem_has_its_failure_reason(string query, string reason) => Assert.Equal(reason, Failure(query));

    [Fact]
    public void failure_reason_does_not_depend_on_parameter_order() =>
        Assert.Equal("invalid info_hash", Failure("port=x&peer_id=y&info_hash=z"));

    /// <summary>The tracker trusts the connection's source address, so announced addresses (BEP 7) and the client's key are not read.</summary>
    [Theory]
    [InlineData("ipv4=1.2.3.4")]
    [InlineData("ipv4=999.1.1.1")]
    [InlineData("ipv6=%5B2001:db8::1%5D:6881")]
    [InlineData("ipv6=[2001:db8::1")]
    [InlineData("key=abc&ip=203.0.113.7")]
    public void announced_addresses_and_the_client_key_are_ignored(string parameters) =>
        Assert.Equal(Parse(Base), Parse(Base + "&" + parameters));

    [Fact]
    public void no_peer_id_zero_is_off() => Assert.False(Parse(Base + "&no_peer_id=0").NoPeerId);

    [Fact]
    public void scrape_reads_every_hash_in_order()
    {
        var all = Enumerable.Range(0, 260).Select(i => (byte)i).ToArray();
        var query = string.Join("&", Enumerable.Range(0, 13).Select(h => "info_hash=" + Encode(all.AsSpan(h * 20, 20))));
        var destination = new InfoHash[20];
        Assert.True(HttpRequestParser.TryParseScrape("x=1&" + query + "&peer_id=1", destination, out var count, out var truncated, out var reason));
        Assert.Equal((13, false, string.Empty), (count, truncated, reason));
        for (var h = 0; h < 13; h++)
            Assert.Equal(InfoHash.Read(all.AsSpan(h * 20, 20)), destination[h]);
    }

    [Fact]
    public void scrape_beyond_the_destination_is_truncated_to_the_first_hashes()
    {
        var destination = new InfoHash[2];
        // The third hash is invalid but past the cap, so it is never looked at.
        Assert.True(HttpRequestParser.TryParseScrape("info_hash=aaaaaaaaaaaaaaaaaaaa&info_hash=bbbbbbbbbbbbbbbbbbbb&info_hash=c", destination, out var count, out var truncated, out _));
        Assert.Equal((2, true), (count, truncated));
        Assert.Equal(InfoHash.Read("bbbbbbbbbbbbbbbbbbbb"u8), destination[1]);
    }

    [Theory]
    [InlineData("", "missing info_hash")]
    [InlineData("peer_id=aaaaaaaaaaaaaaaaaaaa", "missing info_hash")]
    [InlineData("info_hash=aaaaaaaaaaaaaaaaaaaa&info_hash=abc", "invalid info_hash")]
    [InlineData("info_hash", "invalid info_hash")]
    public void scrape_failures_have_reasons(string query, string reason)
    {
        Assert.False(HttpRequestParser.TryParseScrape(query, new InfoHash[10], out _, out _, out var actual));
        Assert.Equal(reason, actual);
    }

    [Fact]
    public void random_queries_never_throw()
    {
        var random = new Random(7);
        const string alphabet = "&=%+[]:.0123456789abcdefABCDEFGxyz_\u00ff\u0100";
        string[] names = ["info_hash", "peer_id", "port", "left", "event", "numwant", "ipv4", "ipv6", "compact"];
        var destination = new InfoHash[4];
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            for (var p = random.Next(8); p > 0; p--)
            {
                text.Append(names[random.Next(names.Length)]).Append('=');
                for (var c = random.Next(25); c > 0; c--)
                    text.Append(alphabet[random.Next(alphabet.Length)]);
                text.Append('&');
            }
            var ok = HttpRequestParser.TryParseAnnounce(text.ToString(), out _, out var reason);
            Assert.Equal(ok, reason.Length == 0);
            ok = HttpRequestParser.TryParseScrape(text.ToString(), destination, out var count, out _, out reason);
            Assert.Equal(ok, reason.Length == 0);
            Assert.InRange(count, 0, destination.Length);
        }
    }

    [Fact]
    public void every_prefix_of_a_full_query_parses_or_fails_cleanly()
    {
        const string full = Base + "&uploaded=12&downloaded=34&left=56&event=started&compact=0&numwant=50&no_peer_id=1&key=k"
            + "&ipv4=1.2.3.4&ipv6=%5B2001:db8::1%5D:1";
        for (var length = 0; length <= full.Length; length++)
        {
            var ok = HttpRequestParser.TryParseAnnounce(full.AsSpan(0, length), out var q, out var reason);
            Assert.Equal(ok, reason.Length == 0);
            if (ok)
                Assert.Equal(InfoHash.Read(Encoding.ASCII.GetBytes(Hash)), q.InfoHash);
        }
    }

    [Fact]
    public void parsing_does_not_allocate()
    {
        var announce = Base + "&uploaded=1&downloaded=2&left=3&event=started&compact=1&numwant=50&key=k&ipv4=1.2.3.4&ipv6=%5B2001:db8::1%5D:1";
        var scrape = "info_hash=aaaaaaaaaaaaaaaaaaaa&info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A";
        var destination = new InfoHash[4];
        void Run()
        {
            _ = HttpRequestParser.TryParseAnnounce(announce, out _, out _);
            _ = HttpRequestParser.TryParseAnnounce("info_hash=x", out _, out _);
            _ = HttpRequestParser.TryParseScrape(scrape, destination, out _, out _, out _);
        }
        Run();
        ThreadAllocations.AssertNothingPerCall(100, Run);
    }
}
