using System.Buffers.Binary;

namespace OrleansTracker.Grains.Interfaces.Routing;

/// <summary>
/// The bytes of a batch of announces that crosses between silos, and of its answers. One flat
/// byte array each way instead of Orleans' field-by-field encoding of nested structs: the batch
/// is the only message between silos on the hot path, and a fixed layout costs a copy per field
/// where the generated codecs cost a tagged field, a nested object and an allocation per item.
/// Little-endian throughout; the first byte is the layout's version, so a silo of another build
/// refuses a batch with an error instead of misreading it. Free of Orleans types on purpose.
/// </summary>
public static class RoutedBatchCodec
{
    public const byte Version = 1;

    private const int HeaderLength = 1 + sizeof(int);
    private const int AddressSlot = 16;

    /// <summary>hash, peer id, family, address slot, port, up/down/left, event, numwant, families, ids flag.</summary>
    public const int RequestLength = InfoHash.Length + PeerId.Length + 1 + AddressSlot + 2 + 3 * sizeof(long) + 1 + sizeof(int) + 1 + 1;

    private const int AnswerFixedLength = 1 + 2 * sizeof(int) + sizeof(long) + 3 * sizeof(int);

    private const byte Failed = 0;
    private const byte Answered = 1;
    private const byte AnsweredPeerLimitReached = 2;

    /// <summary>A batch of <paramref name="count"/> announces, each to be filled by <see cref="WriteRequest"/>.</summary>
    public static byte[] NewRequests(int count)
    {
        var bytes = new byte[HeaderLength + count * RequestLength];
        WriteHeader(bytes, count);
        return bytes;
    }

    public static void WriteRequest(byte[] batch, int index, InfoHash hash, in AnnounceRequest request)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var item = batch.AsSpan(HeaderLength + index * RequestLength, RequestLength);
        hash.WriteTo(item);
        request.PeerId.WriteTo(item[20..]);
        item[40] = request.Endpoint.IsIPv4 ? (byte)4 : (byte)6;
        request.Endpoint.WriteAddress(item.Slice(41, AddressSlot));
        BinaryPrimitives.WriteUInt16LittleEndian(item[57..], request.Endpoint.Port);
        BinaryPrimitives.WriteInt64LittleEndian(item[59..], request.Uploaded);
        BinaryPrimitives.WriteInt64LittleEndian(item[67..], request.Downloaded);
        BinaryPrimitives.WriteInt64LittleEndian(item[75..], request.Left);
        item[83] = (byte)request.Event;
        BinaryPrimitives.WriteInt32LittleEndian(item[84..], request.NumWant);
        item[88] = (byte)request.Families;
        item[89] = request.IncludePeerIds ? (byte)1 : (byte)0;
    }

    /// <summary>The number of announces in <paramref name="batch"/>; throws <see cref="FormatException"/> if it is not a whole batch of this version.</summary>
    public static int RequestCount(ReadOnlySpan<byte> batch)
    {
        var count = ReadHeader(batch);
        if ((long)count * RequestLength != batch.Length - HeaderLength)
            throw new FormatException($"a routed batch of {count} announces has {batch.Length} bytes");
        return count;
    }

    public static (InfoHash Hash, AnnounceRequest Request) ReadRequest(ReadOnlySpan<byte> batch, int index)
    {
        var item = batch.Slice(HeaderLength + index * RequestLength, RequestLength);
        var hash = InfoHash.Read(item);
        var peerId = PeerId.Read(item[20..]);
        var family = item[40];
        if (family is not (4 or 6))
            throw new FormatException($"routed announce {index}: address family {family}");
        var port = BinaryPrimitives.ReadUInt16LittleEndian(item[57..]);
        var endpoint = PeerEndpoint.FromAddressBytes(item.Slice(41, family == 4 ? 4 : 16), port);
        var announceEvent = item[83];
        var families = item[88];
        if (announceEvent > (byte)AnnounceEvent.Stopped || families > (byte)PeerFamilies.Both)
            throw new FormatException($"routed announce {index}: event {announceEvent}, families {families}");
        var request = new AnnounceRequest(
            peerId,
            endpoint,
            Uploaded: BinaryPrimitives.ReadInt64LittleEndian(item[59..]),
            Downloaded: BinaryPrimitives.ReadInt64LittleEndian(item[67..]),
            Left: BinaryPrimitives.ReadInt64LittleEndian(item[75..]),
            Event: (AnnounceEvent)announceEvent,
            NumWant: BinaryPrimitives.ReadInt32LittleEndian(item[84..]),
            Families: (PeerFamilies)families,
            IncludePeerIds: item[89] != 0);
        return (hash, request);
    }

    /// <summary>Answers in request order; a null entry is an announce whose call failed on the owner.</summary>
    public static byte[] EncodeAnswers(AnnounceResult?[] answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var length = HeaderLength;
        foreach (var answer in answers)
            length += answer is null ? 1 : AnswerFixedLength + answer.Peers4.Length + answer.Peers6.Length + answer.PeerIds.Length;
        var bytes = new byte[length];
        WriteHeader(bytes, answers.Length);
        var at = HeaderLength;
        foreach (var answer in answers)
            at += WriteAnswer(bytes.AsSpan(at), answer);
        return bytes;
    }

    /// <summary>
    /// The answers of <paramref name="expected"/> announces, in request order (null for a failed
    /// one). Throws <see cref="FormatException"/> if the bytes are not exactly that many answers.
    /// </summary>
    public static AnnounceResult?[] ReadAnswers(ReadOnlySpan<byte> bytes, int expected)
    {
        var count = ReadHeader(bytes);
        if (count != expected)
            throw new FormatException($"{count} routed answers for {expected} announces");
        var results = new AnnounceResult?[count];
        var at = HeaderLength;
        for (var i = 0; i < count; i++)
            at += ReadAnswer(bytes, at, i, out results[i]);
        if (at != bytes.Length)
            throw new FormatException($"routed answers: {bytes.Length - at} bytes after the last answer");
        return results;
    }

    private static void WriteHeader(Span<byte> bytes, int count)
    {
        bytes[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[1..], count);
    }

    private static int ReadHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
            throw new FormatException($"a routed batch of {bytes.Length} bytes has no header");
        if (bytes[0] != Version)
            throw new FormatException($"a routed batch of layout {bytes[0]}; this silo reads layout {Version}");
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[1..]);
        if (count < 0)
            throw new FormatException($"a routed batch of {count} items");
        return count;
    }

    private static int WriteAnswer(Span<byte> bytes, AnnounceResult? answer)
    {
        if (answer is null)
        {
            bytes[0] = Failed;
            return 1;
        }
        bytes[0] = answer.PeerLimitReached ? AnsweredPeerLimitReached : Answered;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[1..], answer.Seeders);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[5..], answer.Leechers);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[9..], answer.Completed);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[17..], answer.Peers4.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[21..], answer.Peers6.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[25..], answer.PeerIds.Length);
        var at = AnswerFixedLength;
        answer.Peers4.CopyTo(bytes[at..]);
        at += answer.Peers4.Length;
        answer.Peers6.CopyTo(bytes[at..]);
        at += answer.Peers6.Length;
        answer.PeerIds.CopyTo(bytes[at..]);
        return at + answer.PeerIds.Length;
    }

    private static int ReadAnswer(ReadOnlySpan<byte> bytes, int at, int index, out AnnounceResult? answer)
    {
        answer = null;
        if (at >= bytes.Length)
            throw new FormatException($"routed answer {index} is missing");
        var status = bytes[at];
        if (status == Failed)
            return 1;
        if (status > AnsweredPeerLimitReached || bytes.Length - at < AnswerFixedLength)
            throw new FormatException($"routed answer {index}: status {status}, {bytes.Length - at} bytes left");
        var fixedPart = bytes.Slice(at, AnswerFixedLength);
        var peers4 = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[17..]);
        var peers6 = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[21..]);
        var peerIds = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[25..]);
        if (peers4 < 0 || peers6 < 0 || peerIds < 0 || (long)peers4 + peers6 + peerIds > bytes.Length - at - AnswerFixedLength)
            throw new FormatException($"routed answer {index}: peer lists of {peers4}, {peers6} and {peerIds} bytes");
        var lists = bytes[(at + AnswerFixedLength)..];
        answer = new AnnounceResult(
            Seeders: BinaryPrimitives.ReadInt32LittleEndian(fixedPart[1..]),
            Leechers: BinaryPrimitives.ReadInt32LittleEndian(fixedPart[5..]),
            Completed: BinaryPrimitives.ReadInt64LittleEndian(fixedPart[9..]),
            Peers4: Copy(lists[..peers4]),
            Peers6: Copy(lists.Slice(peers4, peers6)),
            PeerIds: Copy(lists.Slice(peers4 + peers6, peerIds)),
            PeerLimitReached: status == AnsweredPeerLimitReached);
        return AnswerFixedLength + peers4 + peers6 + peerIds;
    }

    private static byte[] Copy(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? [] : bytes.ToArray();
}
