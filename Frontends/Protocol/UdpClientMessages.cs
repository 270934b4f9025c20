using System.Buffers.Binary;
using OrleansTracker.Grains.Interfaces;
using static OrleansTracker.Frontends.Protocol.UdpLayout;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// The client's half of BEP 15, on the same <see cref="UdpLayout"/> as the tracker's parser and
/// writers: requests written into a caller-owned buffer, responses read in place. Used by the
/// operator's tracker client (<c>orleans-tracker client</c>, <c>check</c>) and the health check.
/// </summary>
public static class UdpClientMessages
{
    /// <summary>The most URL data one request carries: BEP 41 options of up to 255 bytes each, bounded here.</summary>
    public const int MaxUrlDataLength = 1024;

    /// <summary>Room for any request this class writes.</summary>
    public const int MaxRequestLength = AnnounceRequestLength + MaxUrlDataLength + (MaxUrlDataLength / 255 + 1) * 2 + 1;

    public static int WriteConnect(Span<byte> destination, int transactionId)
    {
        WriteHeader(destination, ProtocolId, UdpAction.Connect, transactionId);
        return ConnectRequestLength;
    }

    /// <summary>
    /// An announce, then <paramref name="urlData"/> (the announce URL's path and query, BEP 41) split
    /// into URL-data options of at most 255 bytes and closed by an end-of-options byte.
    /// </summary>
    public static int WriteAnnounce(Span<byte> destination, long connectionId, int transactionId, in ClientAnnounce announce, ReadOnlySpan<byte> urlData)
    {
        if (urlData.Length > MaxUrlDataLength)
            throw new ArgumentException($"URL data longer than {MaxUrlDataLength} bytes", nameof(urlData));
        WriteHeader(destination, connectionId, UdpAction.Announce, transactionId);
        announce.InfoHash.WriteTo(destination.Slice(InfoHashOffset, InfoHash.Length));
        announce.PeerId.WriteTo(destination.Slice(PeerIdOffset, PeerId.Length));
        BinaryPrimitives.WriteInt64BigEndian(destination[DownloadedOffset..], announce.Downloaded);
        BinaryPrimitives.WriteInt64BigEndian(destination[LeftOffset..], announce.Left);
        BinaryPrimitives.WriteInt64BigEndian(destination[UploadedOffset..], announce.Uploaded);
        BinaryPrimitives.WriteInt32BigEndian(destination[EventOffset..], (int)announce.Event);
        BinaryPrimitives.WriteInt32BigEndian(destination[IPv4AddressOffset..], 0);
        BinaryPrimitives.WriteInt32BigEndian(destination[KeyOffset..], announce.Key);
        BinaryPrimitives.WriteInt32BigEndian(destination[NumWantOffset..], announce.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(destination[PortOffset..], announce.Port);
        var length = AnnounceRequestLength;
        if (urlData.IsEmpty)
            return length;
        while (!urlData.IsEmpty)
        {
            var chunk = urlData[..Math.Min(urlData.Length, byte.MaxValue)];
            destination[length++] = OptionUrlData;
            destination[length++] = (byte)chunk.Length;
            chunk.CopyTo(destination[length..]);
            length += chunk.Length;
            urlData = urlData[chunk.Length..];
        }
        destination[length++] = OptionEndOfOptions;
        return length;
    }

    public static int WriteScrape(Span<byte> destination, long connectionId, int transactionId, ReadOnlySpan<InfoHash> hashes)
    {
        if (hashes.Length is 0 or > MaxScrapeHashes)
            throw new ArgumentOutOfRangeException(nameof(hashes), hashes.Length, $"a UDP scrape holds 1 to {MaxScrapeHashes} hashes");
        WriteHeader(destination, connectionId, UdpAction.Scrape, transactionId);
        for (var i = 0; i < hashes.Length; i++)
            hashes[i].WriteTo(destination.Slice(ScrapeHashesOffset + i * InfoHash.Length, InfoHash.Length));
        return ScrapeHashesOffset + hashes.Length * InfoHash.Length;
    }

    /// <summary>
    /// The action and transaction id of a response; false when it is too short to have them. A
    /// response with another transaction id is not the answer to the caller's request.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> response, out UdpAction action, out int transactionId)
    {
        action = default;
        transactionId = 0;
        if (response.Length < ResponseHeaderLength)
            return false;
        action = (UdpAction)BinaryPrimitives.ReadInt32BigEndian(response[ResponseActionOffset..]);
        transactionId = BinaryPrimitives.ReadInt32BigEndian(response[ResponseTransactionIdOffset..]);
        return true;
    }

    public static bool TryReadConnect(ReadOnlySpan<byte> response, out long connectionId)
    {
        connectionId = 0;
        if (response.Length < ConnectResponseLength)
            return false;
        connectionId = BinaryPrimitives.ReadInt64BigEndian(response[ConnectResponseConnectionIdOffset..]);
        return true;
    }

    /// <summary>Interval, leechers and seeders; the compact peers follow at <see cref="UdpLayout.AnnounceResponseHeaderLength"/>.</summary>
    public static bool TryReadAnnounce(ReadOnlySpan<byte> response, out int interval, out int leechers, out int seeders)
    {
        interval = leechers = seeders = 0;
        if (response.Length < AnnounceResponseHeaderLength)
            return false;
        interval = BinaryPrimitives.ReadInt32BigEndian(response[AnnounceResponseIntervalOffset..]);
        leechers = BinaryPrimitives.ReadInt32BigEndian(response[AnnounceResponseLeechersOffset..]);
        seeders = BinaryPrimitives.ReadInt32BigEndian(response[AnnounceResponseSeedersOffset..]);
        return true;
    }

    /// <summary>Seeders, completed, leechers of the <paramref name="index"/>-th scraped hash; false when the response is too short for it.</summary>
    public static bool TryReadScrapeEntry(ReadOnlySpan<byte> response, int index, out SwarmCounts counts)
    {
        counts = default;
        var offset = ResponseHeaderLength + index * ScrapeResponseEntryLength;
        if (index < 0 || response.Length < offset + ScrapeResponseEntryLength)
            return false;
        counts = new SwarmCounts(
            BinaryPrimitives.ReadInt32BigEndian(response[offset..]),
            BinaryPrimitives.ReadInt32BigEndian(response[(offset + 8)..]),
            BinaryPrimitives.ReadInt32BigEndian(response[(offset + 4)..]));
        return true;
    }

    /// <summary>The text of an error response (action 3).</summary>
    public static ReadOnlySpan<byte> ErrorMessage(ReadOnlySpan<byte> response) =>
        response.Length <= ResponseHeaderLength ? [] : response[ResponseHeaderLength..];

    private static void WriteHeader(Span<byte> destination, long connectionId, UdpAction action, int transactionId)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination[ConnectionIdOffset..], connectionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[ActionOffset..], (int)action);
        BinaryPrimitives.WriteInt32BigEndian(destination[TransactionIdOffset..], transactionId);
    }
}
