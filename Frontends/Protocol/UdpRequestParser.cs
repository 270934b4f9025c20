using System.Buffers.Binary;
using OrleansTracker.Grains.Interfaces;
using static OrleansTracker.Frontends.Protocol.UdpLayout;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Parses BEP 15 requests (connect, announce, scrape) and reads BEP 41 URL data. Never throws and
/// never allocates: every field is read in place with <see cref="BinaryPrimitives"/>.
/// </summary>
public static class UdpRequestParser
{
    /// <summary>
    /// Parses one datagram. On failure, when <see cref="UdpParseError.AllowsErrorResponse"/> is true,
    /// <paramref name="request"/> still holds the action, connection id and transaction id, so the
    /// server can check the connection id before it answers (no response to unverified sources that
    /// is larger than what they sent).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out UdpRequest request, out UdpParseError error)
    {
        request = default;
        error = default;
        if (packet.Length < RequestHeaderLength)
            return Fail(UdpParseErrorKind.TooShort, out error);

        var connectionId = BinaryPrimitives.ReadInt64BigEndian(packet[ConnectionIdOffset..]);
        var action = BinaryPrimitives.ReadInt32BigEndian(packet[ActionOffset..]);
        var transactionId = BinaryPrimitives.ReadInt32BigEndian(packet[TransactionIdOffset..]);
        switch (action)
        {
            case (int)UdpAction.Connect:
                // Without the magic this is not a BEP 15 client; trailing bytes are tolerated.
                if (connectionId != ProtocolId)
                    return Fail(UdpParseErrorKind.BadProtocolId, out error);
                request = new UdpRequest { Action = UdpAction.Connect, ConnectionId = connectionId, TransactionId = transactionId };
                return true;
            case (int)UdpAction.Announce:
                request = new UdpRequest { Action = UdpAction.Announce, ConnectionId = connectionId, TransactionId = transactionId };
                return TryParseAnnounce(packet, ref request, out error);
            case (int)UdpAction.Scrape:
                request = new UdpRequest { Action = UdpAction.Scrape, ConnectionId = connectionId, TransactionId = transactionId };
                return TryParseScrape(packet, ref request, out error);
            default:
                // Includes action 3: only trackers send errors, and answering an error with an error
                // could make two spoofed endpoints ping-pong forever.
                return Fail(UdpParseErrorKind.UnknownAction, out error);
        }
    }

    private static bool TryParseAnnounce(ReadOnlySpan<byte> packet, ref UdpRequest request, out UdpParseError error)
    {
        error = default;
        if (packet.Length < AnnounceRequestLength)
            return Fail(UdpParseErrorKind.MalformedAnnounce, out error);
        var announceEvent = BinaryPrimitives.ReadInt32BigEndian(packet[EventOffset..]);
        request = request with
        {
            InfoHash = InfoHash.Read(packet.Slice(InfoHashOffset, InfoHash.Length)),
            PeerId = PeerId.Read(packet.Slice(PeerIdOffset, PeerId.Length)),
            Downloaded = BinaryPrimitives.ReadInt64BigEndian(packet[DownloadedOffset..]),
            Left = BinaryPrimitives.ReadInt64BigEndian(packet[LeftOffset..]),
            Uploaded = BinaryPrimitives.ReadInt64BigEndian(packet[UploadedOffset..]),
            Event = EventOf(announceEvent),
            IPv4Address = BinaryPrimitives.ReadUInt32BigEndian(packet[IPv4AddressOffset..]),
            Key = BinaryPrimitives.ReadUInt32BigEndian(packet[KeyOffset..]),
            NumWant = BinaryPrimitives.ReadInt32BigEndian(packet[NumWantOffset..]),
            Port = BinaryPrimitives.ReadUInt16BigEndian(packet[PortOffset..]),
        };
        return true;
    }

    /// <summary>
    /// 1 completed, 2 started, 3 stopped; anything else is a regular announce. libtorrent sends 4
    /// ("paused", BEP 21) on every announce of a torrent that is finished but not a full seed
    /// (some files unticked): refusing it would drop such peers from their swarms. aquatic and
    /// opentracker read unknown values the same way.
    /// </summary>
    private static AnnounceEvent EventOf(int value) =>
        value is >= (int)AnnounceEvent.None and <= (int)AnnounceEvent.Stopped ? (AnnounceEvent)value : AnnounceEvent.None;

    private static bool TryParseScrape(ReadOnlySpan<byte> packet, ref UdpRequest request, out UdpParseError error)
    {
        error = default;
        var body = packet.Length - ScrapeHashesOffset;
        if (body == 0)
            return Fail(UdpParseErrorKind.NoInfoHashes, out error);
        // A partial trailing hash means the packet was cut or built wrongly: refuse it whole.
        if (body % InfoHash.Length != 0)
            return Fail(UdpParseErrorKind.MalformedScrape, out error);
        var count = body / InfoHash.Length;
        if (count > MaxScrapeHashes)
            return Fail(UdpParseErrorKind.TooManyInfoHashes, out error);
        request = request with { HashCount = count };
        return true;
    }

    /// <summary>
    /// Reads the BEP 41 URL data of an announce (the options after byte 98): the payloads of all
    /// 0x2 options concatenated, for example "/announce/{key}". Returns false when an option runs
    /// past the end of the packet. Bytes beyond <paramref name="destination"/> are skipped (255
    /// bytes hold any single option). An unknown option type ends the parse as if it were 0x0:
    /// skipping it would mean trusting that a type we do not know carries a length byte, and a wrong
    /// guess would misread the bytes after it as URL data (a different key); stopping keeps what was
    /// read so far. A packet that simply ends without 0x0 is fine (many clients omit it).
    /// </summary>
    public static bool TryReadUrlData(ReadOnlySpan<byte> packet, Span<byte> destination, out int written)
    {
        written = 0;
        if (packet.Length < AnnounceRequestLength)
            return false;
        var i = AnnounceRequestLength;
        while (i < packet.Length)
        {
            switch (packet[i])
            {
                case OptionNop:
                    i++;
                    continue;
                case OptionUrlData:
                    if (i + 1 >= packet.Length)
                        return false;
                    var length = packet[i + 1];
                    var start = i + 2;
                    if (start + length > packet.Length)
                        return false;
                    var copy = Math.Min(length, destination.Length - written);
                    packet.Slice(start, copy).CopyTo(destination[written..]);
                    written += copy;
                    i = start + length;
                    continue;
                default:
                    // 0x0 ends the options; unknown types are treated the same (see summary).
                    return true;
            }
        }
        return true;
    }

    private static bool Fail(UdpParseErrorKind kind, out UdpParseError error)
    {
        error = new UdpParseError(kind);
        return false;
    }
}
