using System.Text;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Writes bencoded HTTP tracker responses (BEP 3 "Trackers", BEP 23 compact peers, BEP 7 peers6,
/// BEP 48 scrape) into caller-owned buffers, with dictionary keys in sorted byte order as BEP 3
/// requires. Every writer has a <c>Max…Length</c> companion giving an upper bound for the response.
/// </summary>
public static partial class HttpResponseWriter
{
    // d + complete, downloaded, incomplete, interval, min interval with their widest values.
    private const int HeadLength = 1
        + 10 + BencodeBuffer.MaxInt32Length   // 8:complete
        + 13 + BencodeBuffer.MaxInt64Length   // 10:downloaded
        + 13 + BencodeBuffer.MaxInt32Length   // 10:incomplete
        + 10 + BencodeBuffer.MaxInt32Length   // 8:interval
        + 15 + BencodeBuffer.MaxInt32Length;  // 12:min interval

    public static int MaxAnnounceCompactLength(int peers4Count, int peers6Count) =>
        HeadLength
        + 7 + BencodeBuffer.MaxLengthPrefix + (peers4Count * PeerEndpoint.CompactIPv4Length) // 5:peers
        + 8 + BencodeBuffer.MaxLengthPrefix + (peers6Count * PeerEndpoint.CompactIPv6Length) // 6:peers6
        + 1;

    /// <summary>
    /// A compact announce response (BEP 23, BEP 7): <c>peers</c> is always present (possibly an empty
    /// string, so clients that only look for it are happy); <c>peers6</c> only when there are IPv6 peers.
    /// </summary>
    public static int WriteAnnounceCompact(Span<byte> destination, int interval, int minInterval, int complete, int incomplete,
        long downloaded, ReadOnlySpan<byte> peers4, ReadOnlySpan<byte> peers6)
    {
        var b = new BencodeBuffer(destination);
        WriteHead(ref b, interval, minInterval, complete, incomplete, downloaded);
        b.Raw("5:peers"u8);
        b.String(peers4);
        if (!peers6.IsEmpty)
        {
            b.Raw("6:peers6"u8);
            b.String(peers6);
        }
        b.Raw((byte)'e');
        return b.Length;
    }

    public static int MaxFailureLength(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return 18 + BencodeBuffer.MaxLengthPrefix + Encoding.UTF8.GetByteCount(reason) + 1;
    }

    /// <summary>A failure response (BEP 3): <c>d14:failure reason&lt;len&gt;:&lt;UTF-8 text&gt;e</c>.</summary>
    public static int WriteFailure(Span<byte> destination, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var b = new BencodeBuffer(destination);
        b.Raw("d14:failure reason"u8);
        Encoding.UTF8.GetBytes(reason, b.StringSlot(Encoding.UTF8.GetByteCount(reason)));
        b.Raw((byte)'e');
        return b.Length;
    }

    /// <summary>Opens the announce dict and writes the keys that sort before "peers".</summary>
    private static void WriteHead(ref BencodeBuffer b, int interval, int minInterval, int complete, int incomplete, long downloaded)
    {
        b.Raw("d8:complete"u8);
        b.Integer(complete);
        b.Raw("10:downloaded"u8);
        b.Integer(downloaded);
        b.Raw("10:incomplete"u8);
        b.Integer(incomplete);
        b.Raw("8:interval"u8);
        b.Integer(interval);
        b.Raw("12:min interval"u8);
        b.Integer(minInterval);
    }
}
