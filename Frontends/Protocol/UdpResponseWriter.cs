using System.Buffers.Binary;
using OrleansTracker.Grains.Interfaces;
using static OrleansTracker.Frontends.Protocol.UdpLayout;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Writes BEP 15 responses into a caller-owned buffer and returns the byte count. The caller sizes
/// the buffer with the <c>Max…Length</c> functions; a smaller buffer is a caller bug and throws,
/// whatever the request held. Largest responses with BEP 15's 74-peer / 74-hash guidance: announce
/// 20 + 74 × 18 = 1352 bytes (IPv6), scrape 8 + 74 × 12 = 896 bytes; both fit a 1500-byte MTU.
/// </summary>
public static class UdpResponseWriter
{
    /// <summary>Connect response: action 0, transaction id, connection id (16 bytes).</summary>
    public static int WriteConnect(Span<byte> destination, int transactionId, long connectionId)
    {
        WriteHeader(destination, UdpAction.Connect, transactionId);
        BinaryPrimitives.WriteInt64BigEndian(destination[ConnectResponseConnectionIdOffset..], connectionId);
        return ConnectResponseLength;
    }

    public static int MaxAnnounceLength(int compactPeersLength) => AnnounceResponseHeaderLength + compactPeersLength;

    /// <summary>
    /// Announce response: action 1, transaction id, interval, leechers, seeders, then the compact
    /// peers of the request's family (6 bytes each over IPv4, 18 over IPv6), copied as given.
    /// </summary>
    public static int WriteAnnounce(Span<byte> destination, int transactionId, int interval, int leechers, int seeders, ReadOnlySpan<byte> compactPeers)
    {
        WriteHeader(destination, UdpAction.Announce, transactionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[AnnounceResponseIntervalOffset..], interval);
        BinaryPrimitives.WriteInt32BigEndian(destination[AnnounceResponseLeechersOffset..], leechers);
        BinaryPrimitives.WriteInt32BigEndian(destination[AnnounceResponseSeedersOffset..], seeders);
        compactPeers.CopyTo(destination[AnnounceResponseHeaderLength..]);
        return AnnounceResponseHeaderLength + compactPeers.Length;
    }

    public static int MaxScrapeLength(int hashCount) => ResponseHeaderLength + (hashCount * ScrapeResponseEntryLength);

    /// <summary>
    /// Scrape response: action 2, transaction id, then seeders, completed, leechers per hash in
    /// request order. Completed is a 64-bit count in storage and is clamped to the 32-bit field.
    /// </summary>
    public static int WriteScrape(Span<byte> destination, int transactionId, ReadOnlySpan<SwarmCounts> counts)
    {
        WriteHeader(destination, UdpAction.Scrape, transactionId);
        var offset = ResponseHeaderLength;
        foreach (var c in counts)
        {
            BinaryPrimitives.WriteInt32BigEndian(destination[offset..], c.Seeders);
            BinaryPrimitives.WriteInt32BigEndian(destination[(offset + 4)..], (int)Math.Clamp(c.Completed, int.MinValue, int.MaxValue));
            BinaryPrimitives.WriteInt32BigEndian(destination[(offset + 8)..], c.Leechers);
            offset += ScrapeResponseEntryLength;
        }
        return offset;
    }

    public static int MaxErrorLength(int messageLength) => ResponseHeaderLength + messageLength;

    /// <summary>Error response: action 3, transaction id, then the message text (no terminator).</summary>
    public static int WriteError(Span<byte> destination, int transactionId, ReadOnlySpan<byte> asciiMessage)
    {
        WriteHeader(destination, UdpAction.Error, transactionId);
        asciiMessage.CopyTo(destination[ResponseHeaderLength..]);
        return ResponseHeaderLength + asciiMessage.Length;
    }

    private static void WriteHeader(Span<byte> destination, UdpAction action, int transactionId)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination[ResponseActionOffset..], (int)action);
        BinaryPrimitives.WriteInt32BigEndian(destination[ResponseTransactionIdOffset..], transactionId);
    }
}
