using System.Buffers.Binary;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Fuzz;

/// <summary>
/// One datagram through everything the UDP frontend does with it before the grain call: BEP 15
/// parse, BEP 41 URL data, the private key in the path, and the response the writer would send.
/// </summary>
internal static class UdpTarget
{
    // UdpRequestHandler reads URL data into 512 bytes; a small buffer exercises truncation.
    private const int ServerUrlDataCapacity = 512;
    private const int MtuPayload = 1500 - 20 - 8;

    public static void Check(ReadOnlySpan<byte> packet)
    {
        var ok = UdpRequestParser.TryParse(packet, out var request, out var error);
        var action = packet.Length >= 16 ? BinaryPrimitives.ReadInt32BigEndian(packet[8..]) : -1;
        Require.That(ok == (error.Kind == UdpParseErrorKind.None), "success exactly when no error kind");
        if (!ok)
        {
            CheckRefusal(packet, action, request, error);
            return;
        }
        Require.That((int)request.Action == action, "parsed action is the action field");
        Require.That(request.TransactionId == BinaryPrimitives.ReadInt32BigEndian(packet[12..]), "transaction id echoed");
        Span<byte> answer = stackalloc byte[MtuPayload];
        switch (request.Action)
        {
            case UdpAction.Connect:
                Require.That(request.ConnectionId == UdpLayout.ProtocolId, "connect carries the magic");
                Require.That(UdpResponseWriter.WriteConnect(answer, request.TransactionId, 7) == 16, "connect response is 16 bytes");
                CheckResponseHeader(answer, 0, request.TransactionId);
                break;
            case UdpAction.Announce:
                CheckAnnounce(packet, request, answer);
                break;
            case UdpAction.Scrape:
                CheckScrape(packet, request, answer);
                break;
            default:
                Require.That(false, "only connect, announce and scrape parse");
                break;
        }
    }

    private static void CheckRefusal(ReadOnlySpan<byte> packet, int action, UdpRequest request, UdpParseError error)
    {
        var body = packet.Length - 16;
        var expected = packet.Length < 16 ? UdpParseErrorKind.TooShort : action switch
        {
            0 => UdpParseErrorKind.BadProtocolId,
            1 => UdpParseErrorKind.MalformedAnnounce,
            2 => body == 0 ? UdpParseErrorKind.NoInfoHashes
                : body % 20 != 0 ? UdpParseErrorKind.MalformedScrape : UdpParseErrorKind.TooManyInfoHashes,
            _ => UdpParseErrorKind.UnknownAction,
        };
        Require.That(error.Kind == expected, $"refusal reason {error.Kind} is {expected}");
        Require.That(!error.Message.IsEmpty && !error.Message.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E), "error text is printable ASCII");
        Require.That(error.AllowsErrorResponse == action is 1 or 2, "answerable exactly for announce and scrape with a transaction id");
        if (!error.AllowsErrorResponse)
            return;
        Require.That(request.TransactionId == BinaryPrimitives.ReadInt32BigEndian(packet[12..]), "refusal keeps the transaction id");
        // The server cuts the text so that an unverified sender never gets more than it sent.
        var room = packet.Length - 8;
        Span<byte> answer = stackalloc byte[UdpResponseWriter.MaxErrorLength(error.Message.Length)];
        var length = UdpResponseWriter.WriteError(answer, request.TransactionId, error.Message[..Math.Min(error.Message.Length, room)]);
        Require.That(length <= packet.Length, "error response no longer than the request");
        CheckResponseHeader(answer, 3, request.TransactionId);
    }

    private static void CheckAnnounce(ReadOnlySpan<byte> packet, UdpRequest r, Span<byte> answer)
    {
        Require.That(packet.Length >= 98, "every announce of 98+ bytes parses, whatever its event");
        // BEP 21's paused (4), and any other value, is a regular announce (event none).
        var wireEvent = BinaryPrimitives.ReadInt32BigEndian(packet[80..]);
        Require.That(r.Event == (wireEvent is >= 0 and <= 3 ? (AnnounceEvent)wireEvent : AnnounceEvent.None), "events 1-3 are kept, any other value is none");
        // Round trip: write the parsed fields back at the BEP 15 offsets; must give the same 98 bytes.
        Span<byte> again = stackalloc byte[98];
        BinaryPrimitives.WriteInt64BigEndian(again, r.ConnectionId);
        BinaryPrimitives.WriteInt32BigEndian(again[8..], 1);
        BinaryPrimitives.WriteInt32BigEndian(again[12..], r.TransactionId);
        r.InfoHash.WriteTo(again[16..]);
        r.PeerId.WriteTo(again[36..]);
        BinaryPrimitives.WriteInt64BigEndian(again[56..], r.Downloaded);
        BinaryPrimitives.WriteInt64BigEndian(again[64..], r.Left);
        BinaryPrimitives.WriteInt64BigEndian(again[72..], r.Uploaded);
        BinaryPrimitives.WriteInt32BigEndian(again[80..], wireEvent);
        BinaryPrimitives.WriteUInt32BigEndian(again[84..], r.IPv4Address);
        BinaryPrimitives.WriteUInt32BigEndian(again[88..], r.Key);
        BinaryPrimitives.WriteInt32BigEndian(again[92..], r.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(again[96..], r.Port);
        Require.That(again.SequenceEqual(packet[..98]), "announce fields round-trip to the same bytes");

        CheckUrlData(packet);

        // The answer: at most 74 IPv6 peers (BEP 15 guidance), taken from the packet's own bytes.
        var peers = packet[..Math.Min(packet.Length, 74 * PeerEndpoint.CompactIPv6Length)];
        var max = UdpResponseWriter.MaxAnnounceLength(peers.Length);
        Require.That(max <= MtuPayload, "largest announce response fits one datagram");
        var length = UdpResponseWriter.WriteAnnounce(answer, r.TransactionId, 1800, (int)(r.Key & 0xFFFF), (int)(r.Key >> 16), peers);
        Require.That(length == max && answer.Slice(20, peers.Length).SequenceEqual(peers), "announce response is header + peers");
        CheckResponseHeader(answer, 1, r.TransactionId);
    }

    private static void CheckUrlData(ReadOnlySpan<byte> packet)
    {
        var expected = Reference.UrlData(packet);
        Span<byte> large = stackalloc byte[ServerUrlDataCapacity];
        var okLarge = UdpRequestParser.TryReadUrlData(packet, large, out var writtenLarge);
        Require.That(okLarge == expected is not null, "URL data accepted exactly when no option is cut");
        // A destination of 0..15 bytes, chosen by the packet itself, must give a prefix of the same data.
        Span<byte> small = stackalloc byte[packet[^1] & 0xF];
        var okSmall = UdpRequestParser.TryReadUrlData(packet, small, out var writtenSmall);
        Require.That(okSmall == okLarge, "destination size does not change the verdict");
        if (expected is null)
            return;
        Require.That(writtenLarge == Math.Min(expected.Length, large.Length) && large[..writtenLarge].SequenceEqual(expected.AsSpan(0, writtenLarge)), "URL data equals the BEP 41 reading");
        Require.That(writtenSmall == Math.Min(expected.Length, small.Length) && small[..writtenSmall].SequenceEqual(expected.AsSpan(0, writtenSmall)), "a small destination holds a prefix");

        var urlData = large[..writtenLarge];
        var key = AnnouncePathKey.Find(urlData);
        Require.That(key.SequenceEqual(Reference.PathKey(urlData.ToArray())), "path key equals the string reading");
        Require.That(key.IsEmpty || urlData.Overlaps(key), "the key is a slice of the URL data, not a copy");
    }

    private static void CheckScrape(ReadOnlySpan<byte> packet, UdpRequest r, Span<byte> answer)
    {
        var count = (packet.Length - 16) / 20;
        Require.That((packet.Length - 16) % 20 == 0 && r.HashCount == count && count is >= 1 and <= UdpLayout.MaxScrapeHashes, "hash count is the body / 20, 1..74");
        Span<SwarmCounts> counts = stackalloc SwarmCounts[count];
        Span<byte> raw = stackalloc byte[20];
        for (var i = 0; i < count; i++)
        {
            var hash = r.ScrapeHash(packet, i);
            hash.WriteTo(raw);
            Require.That(raw.SequenceEqual(packet.Slice(16 + (20 * i), 20)), "scrape hash i is bytes 16+20i");
            // Completed beyond 32 bits must be clamped, not wrapped.
            counts[i] = new SwarmCounts(BinaryPrimitives.ReadInt32BigEndian(raw), BinaryPrimitives.ReadInt32BigEndian(raw[4..]), BinaryPrimitives.ReadInt64BigEndian(raw[8..]));
        }
        var length = UdpResponseWriter.WriteScrape(answer, r.TransactionId, counts);
        Require.That(length == UdpResponseWriter.MaxScrapeLength(count) && length <= 8 + (74 * 12), "scrape response is 8 + 12 per hash");
        CheckResponseHeader(answer, 2, r.TransactionId);
        for (var i = 0; i < count; i++)
        {
            var entry = answer.Slice(8 + (12 * i), 12);
            Require.That(BinaryPrimitives.ReadInt32BigEndian(entry) == counts[i].Seeders
                && BinaryPrimitives.ReadInt32BigEndian(entry[4..]) == (int)Math.Clamp(counts[i].Completed, int.MinValue, int.MaxValue)
                && BinaryPrimitives.ReadInt32BigEndian(entry[8..]) == counts[i].Leechers, "scrape entry is seeders, completed (clamped), leechers");
        }
    }

    private static void CheckResponseHeader(ReadOnlySpan<byte> answer, int action, int transactionId) =>
        Require.That(BinaryPrimitives.ReadInt32BigEndian(answer) == action && BinaryPrimitives.ReadInt32BigEndian(answer[4..]) == transactionId, "answer header is action + transaction id");
}
