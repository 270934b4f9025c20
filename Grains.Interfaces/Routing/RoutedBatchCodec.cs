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

    // One request's layout, each field's offset from the one before it: written and read by name.
    private const int HashAt = 0;
    private const int PeerIdAt = HashAt + InfoHash.Length;
    private const int FamilyAt = PeerIdAt + PeerId.Length;
    private const int AddressAt = FamilyAt + 1;
    private const int PortAt = AddressAt + AddressSlot;
    private const int UploadedAt = PortAt + sizeof(ushort);
    private const int DownloadedAt = UploadedAt + sizeof(long);
    private const int LeftAt = DownloadedAt + sizeof(long);
    private const int EventAt = LeftAt + sizeof(long);
    private const int NumWantAt = EventAt + 1;
    private const int FamiliesAt = NumWantAt + sizeof(int);
    private const int PeerIdsFlagAt = FamiliesAt + 1;

    /// <summary>hash, peer id, family, address slot, port, up/down/left, event, numwant, families, ids flag.</summary>
    public const int RequestLength = PeerIdsFlagAt + 1;

    // One answer's fixed part: status, then these, then the three lists' bytes.
    private const int SeedersAt = 1;
    private const int LeechersAt = SeedersAt + sizeof(int);
    private const int CompletedAt = LeechersAt + sizeof(int);
    private const int Peers4LengthAt = CompletedAt + sizeof(long);
    private const int Peers6LengthAt = Peers4LengthAt + sizeof(int);
    private const int PeerIdsLengthAt = Peers6LengthAt + sizeof(int);
    private const int AnswerFixedLength = PeerIdsLengthAt + sizeof(int);

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
        hash.WriteTo(item[HashAt..]);
        request.PeerId.WriteTo(item[PeerIdAt..]);
        item[FamilyAt] = request.Endpoint.IsIPv4 ? (byte)4 : (byte)6;
        request.Endpoint.WriteAddress(item.Slice(AddressAt, AddressSlot));
        BinaryPrimitives.WriteUInt16LittleEndian(item[PortAt..], request.Endpoint.Port);
        BinaryPrimitives.WriteInt64LittleEndian(item[UploadedAt..], request.Uploaded);
        BinaryPrimitives.WriteInt64LittleEndian(item[DownloadedAt..], request.Downloaded);
        BinaryPrimitives.WriteInt64LittleEndian(item[LeftAt..], request.Left);
        item[EventAt] = (byte)request.Event;
        BinaryPrimitives.WriteInt32LittleEndian(item[NumWantAt..], request.NumWant);
        item[FamiliesAt] = (byte)request.Families;
        item[PeerIdsFlagAt] = request.IncludePeerIds ? (byte)1 : (byte)0;
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
        var hash = InfoHash.Read(item[HashAt..]);
        var peerId = PeerId.Read(item[PeerIdAt..]);
        var family = item[FamilyAt];
        if (family is not (4 or 6))
            throw new FormatException($"routed announce {index}: address family {family}");
        var port = BinaryPrimitives.ReadUInt16LittleEndian(item[PortAt..]);
        var endpoint = PeerEndpoint.FromAddressBytes(item.Slice(AddressAt, family == 4 ? 4 : 16), port);
        var announceEvent = item[EventAt];
        var families = item[FamiliesAt];
        if (announceEvent > (byte)AnnounceEvent.Stopped || families > (byte)PeerFamilies.Both)
            throw new FormatException($"routed announce {index}: event {announceEvent}, families {families}");
        var request = new AnnounceRequest(
            peerId,
            endpoint,
            Uploaded: BinaryPrimitives.ReadInt64LittleEndian(item[UploadedAt..]),
            Downloaded: BinaryPrimitives.ReadInt64LittleEndian(item[DownloadedAt..]),
            Left: BinaryPrimitives.ReadInt64LittleEndian(item[LeftAt..]),
            Event: (AnnounceEvent)announceEvent,
            NumWant: BinaryPrimitives.ReadInt32LittleEndian(item[NumWantAt..]),
            Families: (PeerFamilies)families,
            IncludePeerIds: item[PeerIdsFlagAt] != 0);
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
        BinaryPrimitives.WriteInt32LittleEndian(bytes[SeedersAt..], answer.Seeders);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[LeechersAt..], answer.Leechers);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[CompletedAt..], answer.Completed);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[Peers4LengthAt..], answer.Peers4.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[Peers6LengthAt..], answer.Peers6.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[PeerIdsLengthAt..], answer.PeerIds.Length);
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
        var peers4 = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[Peers4LengthAt..]);
        var peers6 = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[Peers6LengthAt..]);
        var peerIds = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[PeerIdsLengthAt..]);
        if (peers4 < 0 || peers6 < 0 || peerIds < 0 || (long)peers4 + peers6 + peerIds > bytes.Length - at - AnswerFixedLength)
            throw new FormatException($"routed answer {index}: peer lists of {peers4}, {peers6} and {peerIds} bytes");
        var lists = bytes[(at + AnswerFixedLength)..];
        answer = new AnnounceResult(
            Seeders: BinaryPrimitives.ReadInt32LittleEndian(fixedPart[SeedersAt..]),
            Leechers: BinaryPrimitives.ReadInt32LittleEndian(fixedPart[LeechersAt..]),
            Completed: BinaryPrimitives.ReadInt64LittleEndian(fixedPart[CompletedAt..]),
            Peers4: Copy(lists[..peers4]),
            Peers6: Copy(lists.Slice(peers4, peers6)),
            PeerIds: Copy(lists.Slice(peers4 + peers6, peerIds)),
            PeerLimitReached: status == AnsweredPeerLimitReached);
        return AnswerFixedLength + peers4 + peers6 + peerIds;
    }

    private static byte[] Copy(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? [] : bytes.ToArray();
}
