using System.Text;
using OrleansTracker.Frontends.Protocol.WebSocket;
using OrleansTracker.Grains.Interfaces;
using Xunit;

namespace OrleansTracker.Tests.Protocol.WebSocket;

/// <summary>Bad messages are refused with a reason, never an exception.</summary>
public sealed class WebSocketParserRefusalTests
{
    private const string Hash = "AAAAAAAAAAAAAAAAAAAA";
    private const string Peer = "-XX0000-BBBBBBBBBBBB";

    private static WebSocketParseError Refusal(string json, int maxOffers = 4, int maxHashes = 4) => Refusal(Encoding.UTF8.GetBytes(json), maxOffers, maxHashes);

    private static WebSocketParseError Refusal(byte[] frame, int maxOffers = 4, int maxHashes = 4)
    {
        var ok = WebSocketRequestParser.TryParse(frame, new WebSocketOffer[maxOffers], new InfoHash[maxHashes], out _, out var error);
        Assert.False(ok);
        Assert.NotEqual(WebSocketParseError.None, error);
        Assert.False(string.IsNullOrEmpty(error.Reason()));
        return error;
    }

    private static string Announce(string extra = "") => $$"""{"action":"announce","info_hash":"{{Hash}}","peer_id":"{{Peer}}"{{extra}}}""";

    [Fact]
    public void a_minimal_announce_is_accepted()
    {
        Assert.True(WebSocketRequestParser.TryParse(Encoding.UTF8.GetBytes(Announce()), [], [], out var request, out _));
        Assert.Equal(WebSocketAction.Announce, request.Action);
        Assert.Equal(-1, request.NumWant);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"action\":\"announce\",}")]
    [InlineData("{\"action\":announce}")]
    [InlineData("{\"action\":\"scrape\"} {}")]
    [InlineData("{\"action\":\"scrape\",\"info_hash\":\"AAAAAAAAAAAAAAAAAAAA\"}x")]
    [InlineData("{'action':'scrape'}")]
    [InlineData("{\"action\":\"announce\" /* c */}")]
    [InlineData("{\"a\":\"raw\ncontrol\"}")]
    public void malformed_json_is_refused(string json) => Assert.Equal(WebSocketParseError.MalformedJson, Refusal(json));

    [Theory]
    [InlineData("[]")]
    [InlineData("\"announce\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void a_message_that_is_not_an_object_is_refused(string json) => Assert.Equal(WebSocketParseError.NotAnObject, Refusal(json));

    [Fact]
    public void invalid_utf8_anywhere_is_refused_even_inside_a_skipped_field()
    {
        var frame = Encoding.UTF8.GetBytes(Announce(",\"x\":\"..\""));
        frame[frame.Length - 3] = 0xFF;
        Assert.Equal(WebSocketParseError.MalformedJson, Refusal(frame));
    }

    [Fact]
    public void nesting_deeper_than_the_limit_is_refused()
    {
        var deep = new string('[', 50) + new string(']', 50);
        Assert.Equal(WebSocketParseError.MalformedJson, Refusal(Announce($",\"offers\":[{{\"offer_id\":\"{Hash}\",\"offer\":{{\"x\":{deep}}}}}]")));
    }

    [Theory]
    [InlineData("{}", WebSocketParseError.MissingAction)]
    [InlineData("{\"action\":\"connect\"}", WebSocketParseError.UnknownAction)]
    [InlineData("{\"action\":1}", WebSocketParseError.UnknownAction)]
    [InlineData("{\"action\":null}", WebSocketParseError.UnknownAction)]
    [InlineData("{\"action\":\"ANNOUNCE\"}", WebSocketParseError.UnknownAction)]
    public void missing_or_unknown_action_is_refused(string json, WebSocketParseError expected) => Assert.Equal(expected, Refusal(json));

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAA")]                 // 19 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAA")]               // 21
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAA\\u0041\\u0041")]   // 21 once unescaped
    [InlineData("AAAAAAAAAAAAAAAAAA\\u0041")]           // 19 once unescaped
    [InlineData("AAAAAAAAAAAAAAAAAAA\\u0100")]          // a character above U+00FF
    [InlineData("AAAAAAAAAAAAAAAAAAA\u0100")]           // the same, unescaped (two UTF-8 bytes C4 80)
    [InlineData("AAAAAAAAAAAAAAAAAAA\u20ac")]           // three UTF-8 bytes
    [InlineData("AAAAAAAAAAAAAAAAAA\ud83d\ude00")]      // four UTF-8 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAA\\ud83d")]          // a lone escaped surrogate
    public void info_hash_and_peer_id_must_be_20_characters_of_one_byte(string value)
    {
        Assert.Equal(WebSocketParseError.BadInfoHash, Refusal($$"""{"action":"announce","info_hash":"{{value}}","peer_id":"{{Peer}}"}"""));
        Assert.Equal(WebSocketParseError.BadPeerId, Refusal($$"""{"action":"announce","info_hash":"{{Hash}}","peer_id":"{{value}}"}"""));
        Assert.Equal(WebSocketParseError.BadInfoHash, Refusal($$"""{"action":"scrape","info_hash":["{{Hash}}","{{value}}"]}"""));
    }

    [Fact]
    public void an_overlong_utf8_form_is_not_a_byte()
    {
        // C0 80 is an overlong NUL: the frame is not valid UTF-8 at all.
        var frame = Encoding.UTF8.GetBytes(Announce().Replace(Hash, "AAAAAAAAAAAAAAAAAAA@", StringComparison.Ordinal));
        var at = Array.IndexOf(frame, (byte)'@');
        frame = [.. frame[..at], 0xC0, 0x80, .. frame[(at + 1)..]];
        Assert.Equal(WebSocketParseError.MalformedJson, Refusal(frame));
    }

    [Theory]
    [InlineData(",\"info_hash\":42", WebSocketParseError.BadInfoHash)]
    [InlineData(",\"info_hash\":[\"AAAAAAAAAAAAAAAAAAAA\"]", WebSocketParseError.BadInfoHash)]   // an announce takes one hash
    [InlineData(",\"peer_id\":null", WebSocketParseError.BadPeerId)]
    [InlineData(",\"numwant\":\"5\"", WebSocketParseError.BadNumber)]
    [InlineData(",\"numwant\":-1", WebSocketParseError.BadNumber)]
    [InlineData(",\"left\":true", WebSocketParseError.BadNumber)]
    [InlineData(",\"uploaded\":-5", WebSocketParseError.BadNumber)]
    [InlineData(",\"downloaded\":{}", WebSocketParseError.BadNumber)]
    [InlineData(",\"event\":3", WebSocketParseError.BadEvent)]
    [InlineData(",\"offers\":{}", WebSocketParseError.BadOffers)]
    [InlineData(",\"offers\":[1]", WebSocketParseError.BadOffers)]
    [InlineData(",\"offers\":[{\"offer\":{}}]", WebSocketParseError.BadOffers)]
    [InlineData(",\"offers\":[{\"offer_id\":\"AAAAAAAAAAAAAAAAAAAA\"}]", WebSocketParseError.BadOffers)]
    [InlineData(",\"offers\":[{\"offer_id\":\"AAAAAAAAAAAAAAAAAAAA\",\"offer\":\"sdp\"}]", WebSocketParseError.BadOffers)]
    [InlineData(",\"offers\":[{\"offer_id\":\"AAAA\",\"offer\":{}}]", WebSocketParseError.BadOffers)]
    [InlineData(",\"answer\":\"sdp\"", WebSocketParseError.BadAnswer)]
    [InlineData(",\"answer\":{},\"offer_id\":\"AAAAAAAAAAAAAAAAAAAA\"", WebSocketParseError.BadAnswer)]
    [InlineData(",\"answer\":{},\"to_peer_id\":\"AAAAAAAAAAAAAAAAAAAA\"", WebSocketParseError.BadAnswer)]
    [InlineData(",\"answer\":{},\"to_peer_id\":\"AAAA\",\"offer_id\":\"AAAAAAAAAAAAAAAAAAAA\"", WebSocketParseError.BadAnswer)]
    public void wrong_types_are_refused(string field, WebSocketParseError expected) => Assert.Equal(expected, Refusal(Announce(field)));

    [Fact]
    public void too_many_offers_and_hashes_are_refused()
    {
        var offer = $"{{\"offer_id\":\"{Hash}\",\"offer\":{{}}}}";
        Assert.Equal(WebSocketParseError.TooManyOffers, Refusal(Announce($",\"offers\":[{offer},{offer},{offer}]"), maxOffers: 2));
        var hashes = string.Join(',', Enumerable.Repeat($"\"{Hash}\"", 3));
        Assert.Equal(WebSocketParseError.TooManyInfoHashes, Refusal($"{{\"action\":\"scrape\",\"info_hash\":[{hashes}]}}", maxHashes: 2));
    }

    [Theory]
    [InlineData("{\"action\":\"scrape\"}")]
    [InlineData("{\"action\":\"scrape\",\"info_hash\":[]}")]
    [InlineData("{\"action\":\"scrape\",\"info_hash\":null}")]
    public void a_scrape_needs_a_hash(string json) => Assert.Equal(WebSocketParseError.BadInfoHash, Refusal(json));

    [Fact]
    public void lenient_where_javascript_is_null_left_fractional_numbers_unknown_fields_and_events()
    {
        var json = Announce(",\"left\":null,\"uploaded\":1.5,\"downloaded\":1e300,\"event\":\"paused\",\"trackerid\":\"x\",\"offers\":null,\"answer\":null,\"extra\":[{\"a\":[1,2]}]");
        Assert.True(WebSocketRequestParser.TryParse(Encoding.UTF8.GetBytes(json), [], [], out var request, out var error), error.ToString());
        Assert.Equal(WebSocketRequest.UnknownLeft, request.Left);
        Assert.Equal(1, request.Uploaded);
        Assert.Equal(long.MaxValue, request.Downloaded);
        Assert.Equal(AnnounceEvent.None, request.Event);
        Assert.Equal(0, request.OfferCount);
        Assert.False(request.HasAnswer);
    }

    [Fact]
    public void every_prefix_and_every_single_byte_change_of_a_real_frame_is_answered_without_an_exception()
    {
        var frame = NpmFrames.Client(2, m => m.Has("answer")).Bytes;
        var offers = new WebSocketOffer[8];
        var hashes = new InfoHash[8];
        for (var length = 0; length < frame.Length; length++)
            Assert.False(WebSocketRequestParser.TryParse(frame.AsSpan(0, length), offers, hashes, out _, out _));
        var copy = (byte[])frame.Clone();
        var random = new Random(16);
        for (var i = 0; i < 5_000; i++)
        {
            var at = random.Next(copy.Length);
            copy[at] = (byte)random.Next(256);
            WebSocketRequestParser.TryParse(copy, offers, hashes, out _, out _);
            copy[at] = frame[at];
        }
    }
}
