using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>
/// Writes the tracker's WebTorrent messages: the announce response, a relayed offer or answer, the
/// scrape response and a failure. Each returns the bytes written into a span of at least the
/// matching Max…Length.
/// </summary>
public static class WebSocketResponseWriter
{
    /// <summary>Room for the fixed text and three binary strings of a relayed offer or answer.</summary>
    private const int RelayOverhead = 96 + 3 * BinaryString.MaxWrittenLength;

    public const int MaxAnnounceLength = 96 + BinaryString.MaxWrittenLength + 3 * 20;

    /// <summary>Per hash of a scrape response: key, three counts, punctuation.</summary>
    public const int MaxScrapeEntryLength = BinaryString.MaxWrittenLength + 64 + 3 * 20;

    public static int MaxRelayLength(int payloadLength) => RelayOverhead + payloadLength;

    public static int MaxScrapeLength(int hashes) => 32 + hashes * MaxScrapeEntryLength;

    public static int MaxFailureLength(string reason) => 64 + reason.Length + BinaryString.MaxWrittenLength;

    /// <summary><c>{"action":"announce","interval":…,"info_hash":…,"complete":…,"incomplete":…}</c></summary>
    public static int WriteAnnounce(Span<byte> destination, InfoHash infoHash, int interval, int seeders, int leechers)
    {
        var json = new JsonSpanWriter(destination);
        json.Literal("{\"action\":\"announce\",\"interval\":"u8);
        json.Number(interval);
        json.Literal(",\"info_hash\":"u8);
        json.Binary(infoHash);
        json.Literal(",\"complete\":"u8);
        json.Number(seeders);
        json.Literal(",\"incomplete\":"u8);
        json.Number(leechers);
        json.Literal("}"u8);
        return json.Length;
    }

    /// <summary>
    /// Another peer's offer, to the peer chosen for it:
    /// <c>{"action":"announce","info_hash":…,"peer_id":(the offering peer),"offer_id":…,"offer":{…}}</c>.
    /// </summary>
    public static int WriteOffer(Span<byte> destination, InfoHash infoHash, PeerId from, Bytes20 offerId, ReadOnlySpan<byte> offerJson) =>
        WriteRelay(destination, infoHash, from, offerId, ",\"offer\":"u8, offerJson);

    /// <summary>An answer, to the peer whose offer it answers: as an offer, with <c>"answer":{…}</c>.</summary>
    public static int WriteAnswer(Span<byte> destination, InfoHash infoHash, PeerId from, Bytes20 offerId, ReadOnlySpan<byte> answerJson) =>
        WriteRelay(destination, infoHash, from, offerId, ",\"answer\":"u8, answerJson);

    private static int WriteRelay(Span<byte> destination, InfoHash infoHash, PeerId from, Bytes20 offerId, ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload)
    {
        var json = new JsonSpanWriter(destination);
        json.Literal("{\"action\":\"announce\",\"info_hash\":"u8);
        json.Binary(infoHash);
        json.Literal(",\"peer_id\":"u8);
        json.Binary(from);
        json.Literal(",\"offer_id\":"u8);
        json.Binary(offerId);
        json.Literal(key);
        json.Literal(payload);
        json.Literal("}"u8);
        return json.Length;
    }

    /// <summary><c>{"action":"scrape","files":{(hash):{"complete":…,"incomplete":…,"downloaded":…},…}}</c></summary>
    public static int WriteScrape(Span<byte> destination, ReadOnlySpan<InfoHash> infoHashes, ReadOnlySpan<SwarmCounts> counts)
    {
        var json = new JsonSpanWriter(destination);
        json.Literal("{\"action\":\"scrape\",\"files\":{"u8);
        for (var i = 0; i < infoHashes.Length; i++)
        {
            if (i > 0)
                json.Literal(","u8);
            json.Binary(infoHashes[i]);
            json.Literal(":{\"complete\":"u8);
            json.Number(counts[i].Seeders);
            json.Literal(",\"incomplete\":"u8);
            json.Number(counts[i].Leechers);
            json.Literal(",\"downloaded\":"u8);
            json.Number(counts[i].Completed);
            json.Literal("}"u8);
        }
        json.Literal("}}"u8);
        return json.Length;
    }

    /// <summary>
    /// <c>{"failure reason":…}</c>, with the action and info hash when the request got that far: npm
    /// bittorrent-tracker's client shows a failure for its torrent only when both are there, and
    /// treats a message without an action as a broken connection (it reconnects later).
    /// </summary>
    public static int WriteFailure(Span<byte> destination, string reason, WebSocketAction action = WebSocketAction.None, InfoHash? infoHash = null)
    {
        var json = new JsonSpanWriter(destination);
        json.Literal("{\"failure reason\":"u8);
        json.AsciiString(reason);
        if (action != WebSocketAction.None)
            json.Literal(action == WebSocketAction.Announce ? ",\"action\":\"announce\""u8 : ",\"action\":\"scrape\""u8);
        if (infoHash is { } hash)
        {
            json.Literal(",\"info_hash\":"u8);
            json.Binary(hash);
        }
        json.Literal("}"u8);
        return json.Length;
    }
}
