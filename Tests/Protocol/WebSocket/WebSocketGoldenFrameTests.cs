using System.Text;
using System.Text.Json;
using OrleansTracker.Frontends.Protocol.WebSocket;
using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Protocol.WebSocket.NpmFrames;

namespace OrleansTracker.Tests.Protocol.WebSocket;

/// <summary>
/// The codec against what npm bittorrent-tracker's client actually sends (and its server answers):
/// frames recorded from the real client, see <see cref="NpmFrames"/>.
/// </summary>
public sealed class WebSocketGoldenFrameTests
{
    private static readonly byte[] InfoHashBytes = Convert.FromHexString("000102030405060708090a0b0c0d0e0f10111213");
    // -WW0100- then quote, DEL, backslash, LF, CR, TAB, c3 a9 80 ff 00 01 (see capture-frames.mjs).
    private static readonly byte[] TrickyPeerId = Convert.FromHexString("2d5757303130302d227f5c0a0d09c3a980ff0001");

    private static (WebSocketRequest Request, WebSocketOffer[] Offers, InfoHash[] Hashes) Parse(Frame frame)
    {
        var offers = new WebSocketOffer[10];
        var hashes = new InfoHash[10];
        Assert.True(WebSocketRequestParser.TryParse(frame.Bytes, offers, hashes, out var request, out var error), error.ToString());
        return (request, offers[..request.OfferCount], hashes[..request.InfoHashCount]);
    }

    [Fact]
    public void started_announce_with_five_real_offers_parses_field_by_field()
    {
        var frame = Client(1, m => m.Text("event") == "started");
        var (request, offers, _) = Parse(frame);

        Assert.Equal(WebSocketAction.Announce, request.Action);
        Assert.Equal(InfoHash.Read(InfoHashBytes), request.InfoHash);
        Assert.Equal(PeerId.Read(TrickyPeerId), request.PeerId);
        Assert.Equal(AnnounceEvent.Started, request.Event);
        Assert.Equal(5, request.NumWant);
        Assert.Equal(0, request.Uploaded);
        Assert.Equal(0, request.Downloaded);
        Assert.Equal(WebSocketRequest.UnknownLeft, request.Left);   // the client sent no "left"
        Assert.False(request.HasAnswer);
        var sent = frame.Json.RootElement.GetProperty("offers").EnumerateArray().ToArray();
        Assert.Equal(sent.Length, offers.Length);
        for (var i = 0; i < offers.Length; i++)
        {
            Assert.Equal(Binary(sent[i].GetProperty("offer_id")), offers[i].OfferId.ToArray());
            // The relayed bytes are exactly the offer object as the client wrote it.
            Assert.Equal(sent[i].GetProperty("offer").GetRawText(), Encoding.UTF8.GetString(offers[i].Json(frame.Bytes)));
        }
    }

    [Theory]
    [InlineData("completed", AnnounceEvent.Completed)]
    [InlineData("stopped", AnnounceEvent.Stopped)]
    public void completed_and_stopped_parse_without_offers(string sentEvent, AnnounceEvent expected)
    {
        var (request, offers, _) = Parse(Client(1, m => m.Text("event") == sentEvent));
        Assert.Equal(expected, request.Event);
        Assert.Equal(50, request.NumWant);
        Assert.Empty(offers);
    }

    [Fact]
    public void scrape_of_one_hash_parses()
    {
        var (request, _, hashes) = Parse(Client(1, m => m.Text("action") == "scrape"));
        Assert.Equal(WebSocketAction.Scrape, request.Action);
        Assert.Equal([InfoHash.Read(InfoHashBytes)], hashes);
    }

    [Fact]
    public void answer_parses_with_its_target_and_offer_id()
    {
        var frame = Client(2, m => m.Has("answer"));
        var (request, _, _) = Parse(frame);
        var sent = frame.Json.RootElement;
        Assert.True(request.HasAnswer);
        Assert.Equal(Binary(sent.GetProperty("to_peer_id")), request.ToPeerId.ToArray());
        Assert.Equal(Binary(sent.GetProperty("offer_id")), request.AnswerOfferId.ToArray());
        Assert.Equal(sent.GetProperty("answer").GetRawText(), Encoding.UTF8.GetString(request.AnswerJson(frame.Bytes)));
    }

    [Fact]
    public void binary_strings_are_written_byte_for_byte_as_the_client_writes_them()
    {
        var frame = Client(1, m => m.Text("event") == "started");
        var written = new byte[BinaryString.MaxWrittenLength];
        var length = BinaryString.Write(TrickyPeerId, written);
        var expected = "\"peer_id\":"u8.ToArray().Concat(written[..length]).ToArray();
        Assert.True(frame.Bytes.AsSpan().IndexOf(expected) >= 0, Encoding.UTF8.GetString(written[..length]));

        length = BinaryString.Write(InfoHashBytes, written);
        expected = "\"info_hash\":"u8.ToArray().Concat(written[..length]).ToArray();
        Assert.True(frame.Bytes.AsSpan().IndexOf(expected) >= 0, Encoding.UTF8.GetString(written[..length]));
    }

    [Fact]
    public void announce_response_carries_what_the_npm_server_sends()
    {
        var npm = Server(1, m => m.Has("complete")).Json.RootElement;
        var buffer = new byte[WebSocketResponseWriter.MaxAnnounceLength];
        var length = WebSocketResponseWriter.WriteAnnounce(buffer, InfoHash.Read(InfoHashBytes), npm.GetProperty("interval").GetInt32(),
            npm.GetProperty("complete").GetInt32(), npm.GetProperty("incomplete").GetInt32());
        AssertSameMessage(npm, buffer[..length]);
    }

    [Fact]
    public void relayed_offer_and_answer_carry_what_the_npm_server_sends()
    {
        var offerFrame = Client(2, m => m.Text("event") == "started" && Binary(m.GetProperty("peer_id"))[1] == (byte)'C');
        var relayedOffer = Server(2, m => m.Has("offer")).Json.RootElement;
        var (request, offers, _) = Parse(offerFrame);
        var offer = offers.Single(o => o.OfferId.ToArray().SequenceEqual(Binary(relayedOffer.GetProperty("offer_id"))));
        var buffer = new byte[WebSocketResponseWriter.MaxRelayLength(offer.Length)];
        var length = WebSocketResponseWriter.WriteOffer(buffer, request.InfoHash, request.PeerId, offer.OfferId, offer.Json(offerFrame.Bytes));
        AssertSameMessage(relayedOffer, buffer[..length]);

        var answerFrame = Client(2, m => m.Has("answer"));
        var relayedAnswer = Server(2, m => m.Has("answer")).Json.RootElement;
        (request, _, _) = Parse(answerFrame);
        buffer = new byte[WebSocketResponseWriter.MaxRelayLength(request.AnswerLength)];
        length = WebSocketResponseWriter.WriteAnswer(buffer, request.InfoHash, request.PeerId, request.AnswerOfferId, request.AnswerJson(answerFrame.Bytes));
        AssertSameMessage(relayedAnswer, buffer[..length]);
    }

    [Fact]
    public void scrape_response_carries_the_files_the_npm_server_sends()
    {
        var npm = Server(1, m => m.Text("action") == "scrape").Json.RootElement;
        var file = npm.GetProperty("files").EnumerateObject().Single();
        var counts = new SwarmCounts(file.Value.GetProperty("complete").GetInt32(), file.Value.GetProperty("incomplete").GetInt32(), file.Value.GetProperty("downloaded").GetInt64());
        var buffer = new byte[WebSocketResponseWriter.MaxScrapeLength(1)];
        var length = WebSocketResponseWriter.WriteScrape(buffer, [InfoHash.Read(InfoHashBytes)], [counts]);
        using var ours = JsonDocument.Parse(buffer.AsMemory(0, length));
        Assert.Equal("scrape", ours.RootElement.Text("action"));
        var ourFile = ours.RootElement.GetProperty("files").EnumerateObject().Single();
        Assert.Equal(file.Name, ourFile.Name);
        Assert.True(JsonElement.DeepEquals(file.Value, ourFile.Value));
    }

    /// <summary>The same fields with the same values; the order of fields is free in JSON.</summary>
    private static void AssertSameMessage(JsonElement expected, byte[] actual)
    {
        using var ours = JsonDocument.Parse(actual);
        var expectedFields = expected.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        var actualFields = ours.RootElement.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(expectedFields.Select(p => p.Name), actualFields.Select(p => p.Name));
        for (var i = 0; i < expectedFields.Length; i++)
            Assert.True(JsonElement.DeepEquals(expectedFields[i].Value, actualFields[i].Value), expectedFields[i].Name);
    }
}
