using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>
/// The client's half of the WebTorrent tracker protocol, as npm bittorrent-tracker's client writes
/// it: an announce with no offers (the operator's client only asks for counts; a browser would offer
/// WebRTC connections) and a scrape of a list of hashes. Each returns the bytes written.
/// </summary>
public static class WebSocketClientMessages
{
    public const int MaxAnnounceLength = 256 + 2 * BinaryString.MaxWrittenLength;

    public static int MaxScrapeLength(int hashes) => 64 + hashes * (BinaryString.MaxWrittenLength + 1);

    /// <summary><c>{"action":"announce","info_hash":…,"peer_id":…,"uploaded":…,"downloaded":…,"left":…,"numwant":…,"offers":[],"event":…}</c></summary>
    public static int WriteAnnounce(Span<byte> destination, in ClientAnnounce announce)
    {
        var json = new JsonSpanWriter(destination);
        json.Literal("{\"action\":\"announce\",\"info_hash\":"u8);
        json.Binary(announce.InfoHash);
        json.Literal(",\"peer_id\":"u8);
        json.Binary(announce.PeerId);
        json.Literal(",\"uploaded\":"u8);
        json.Number(announce.Uploaded);
        json.Literal(",\"downloaded\":"u8);
        json.Number(announce.Downloaded);
        json.Literal(",\"left\":"u8);
        json.Number(announce.Left);
        json.Literal(",\"numwant\":"u8);
        json.Number(Math.Max(0, announce.NumWant));
        json.Literal(",\"offers\":[]"u8);
        if (HttpClientQuery.EventName(announce.Event) is { } eventName)
        {
            json.Literal(",\"event\":"u8);
            json.AsciiString(eventName);
        }
        json.Literal("}"u8);
        return json.Length;
    }

    /// <summary><c>{"action":"scrape","info_hash":[…]}</c></summary>
    public static int WriteScrape(Span<byte> destination, ReadOnlySpan<InfoHash> hashes)
    {
        var json = new JsonSpanWriter(destination);
        json.Literal("{\"action\":\"scrape\",\"info_hash\":["u8);
        for (var i = 0; i < hashes.Length; i++)
        {
            if (i > 0)
                json.Literal(","u8);
            json.Binary(hashes[i]);
        }
        json.Literal("]}"u8);
        return json.Length;
    }
}
