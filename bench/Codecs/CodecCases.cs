using System.Buffers.Binary;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Bench;

/// <summary>
/// One call of every codec path a request takes, on fixed realistic inputs: BEP 15 connect,
/// announce (numwant 30), scrape (10 hashes) and error; HTTP announce and scrape query parsing and
/// the bencoded compact, non-compact, scrape and failure responses. Shared by the BenchmarkDotNet
/// run (bench/Codecs) and the allocation test (Tests/Protocol/CodecAllocationTests.cs), so both
/// measure exactly the same calls. Each case returns a value so the JIT cannot drop the work.
/// </summary>
public sealed class CodecCases
{
    private const int Peers = 30;
    private const int ScrapeHashes = 10;

    private readonly byte[] _connect = new byte[16];
    private readonly byte[] _announce = new byte[98];
    private readonly byte[] _scrape = new byte[16 + (ScrapeHashes * InfoHash.Length)];
    private readonly byte[] _peers4 = new byte[Peers * PeerEndpoint.CompactIPv4Length];
    private readonly byte[] _peers6 = new byte[4 * PeerEndpoint.CompactIPv6Length];
    private readonly byte[] _peerIds = new byte[(Peers + 4) * PeerId.Length];
    private readonly InfoHash[] _hashes = new InfoHash[ScrapeHashes];
    private readonly SwarmCounts[] _counts = new SwarmCounts[ScrapeHashes];
    private readonly byte[] _out = new byte[8192];
    private readonly string _httpAnnounce;
    private readonly string _httpScrape;

    public CodecCases()
    {
        var random = new Random(42);   // fixed: the same bytes every run
        BinaryPrimitives.WriteInt64BigEndian(_connect, UdpLayout.ProtocolId);
        BinaryPrimitives.WriteInt32BigEndian(_connect.AsSpan(12), 0x01020304);

        BinaryPrimitives.WriteInt64BigEndian(_announce, 0x1122334455667788);
        BinaryPrimitives.WriteInt32BigEndian(_announce.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32BigEndian(_announce.AsSpan(12), 0x01020304);
        random.NextBytes(_announce.AsSpan(16, 40));                             // info hash, peer id
        BinaryPrimitives.WriteInt64BigEndian(_announce.AsSpan(64), 1 << 20);   // left
        BinaryPrimitives.WriteInt32BigEndian(_announce.AsSpan(92), Peers);      // numwant
        BinaryPrimitives.WriteUInt16BigEndian(_announce.AsSpan(96), 0x7070);

        BinaryPrimitives.WriteInt64BigEndian(_scrape, 0x1122334455667788);
        BinaryPrimitives.WriteInt32BigEndian(_scrape.AsSpan(8), 2);
        random.NextBytes(_scrape.AsSpan(16));

        random.NextBytes(_peers4);
        random.NextBytes(_peers6);
        random.NextBytes(_peerIds);
        var raw = new byte[InfoHash.Length];
        for (var i = 0; i < ScrapeHashes; i++)
        {
            random.NextBytes(raw);
            _hashes[i] = InfoHash.Read(raw);
            _counts[i] = new SwarmCounts(i * 7, i * 3, i * 1000L);
        }

        // What a BitTorrent client sends: binary hash and id percent-encoded, the usual fields.
        _httpAnnounce = "info_hash=" + Encode(_announce.AsSpan(16, 20)) + "&peer_id=" + Encode(_announce.AsSpan(36, 20))
            + "&port=28784&uploaded=0&downloaded=0&left=1048576&event=started&compact=1&numwant=30&key=4f2a91&corrupt=0";
        _httpScrape = string.Join('&', _hashes.Select(h => "info_hash=" + Encode(h.ToArray())));
    }

    public int UdpParseConnect() => UdpRequestParser.TryParse(_connect, out var r, out _) ? r.TransactionId : -1;

    public int UdpParseAnnounce() => UdpRequestParser.TryParse(_announce, out var r, out _) ? r.NumWant : -1;

    public int UdpParseScrape()
    {
        if (!UdpRequestParser.TryParse(_scrape, out var r, out _))
            return -1;
        var sum = 0;
        for (var i = 0; i < r.HashCount; i++)
            sum += r.ScrapeHash(_scrape, i).GetHashCode();
        return sum;
    }

    public int UdpWriteConnect() => UdpResponseWriter.WriteConnect(_out, 0x01020304, 0x1122334455667788);

    public int UdpWriteAnnounce() => UdpResponseWriter.WriteAnnounce(_out, 0x01020304, 1800, 12, 34, _peers4);

    public int UdpWriteScrape() => UdpResponseWriter.WriteScrape(_out, 0x01020304, _counts);

    public int UdpWriteError() => UdpResponseWriter.WriteError(_out, 0x01020304, "invalid or expired connection id"u8);

    public int HttpParseAnnounce() => HttpRequestParser.TryParseAnnounce(_httpAnnounce, out var q, out _) ? q.Port : -1;

    public int HttpParseScrape()
    {
        Span<InfoHash> hashes = stackalloc InfoHash[ScrapeHashes];
        return HttpRequestParser.TryParseScrape(_httpScrape, hashes, out var count, out _, out _) ? count : -1;
    }

    public int HttpWriteAnnounceCompact() =>
        HttpResponseWriter.WriteAnnounceCompact(_out, 1800, 900, 34, 12, 5000, _peers4, _peers6);

    public int HttpWriteAnnounceNonCompact() =>
        HttpResponseWriter.WriteAnnounceNonCompact(_out, 1800, 900, 34, 12, 5000, _peers4, _peers6, _peerIds, noPeerId: false);

    public int HttpWriteScrape() => HttpResponseWriter.WriteScrape(_out, _hashes, _counts);

    public int HttpWriteFailure() => HttpResponseWriter.WriteFailure(_out, "invalid info_hash");

    /// <summary>Every case by name, for the allocation test.</summary>
    public IReadOnlyList<(string Name, Func<int> Run)> All() =>
    [
        (nameof(UdpParseConnect), UdpParseConnect), (nameof(UdpParseAnnounce), UdpParseAnnounce),
        (nameof(UdpParseScrape), UdpParseScrape), (nameof(UdpWriteConnect), UdpWriteConnect),
        (nameof(UdpWriteAnnounce), UdpWriteAnnounce), (nameof(UdpWriteScrape), UdpWriteScrape),
        (nameof(UdpWriteError), UdpWriteError), (nameof(HttpParseAnnounce), HttpParseAnnounce),
        (nameof(HttpParseScrape), HttpParseScrape), (nameof(HttpWriteAnnounceCompact), HttpWriteAnnounceCompact),
        (nameof(HttpWriteAnnounceNonCompact), HttpWriteAnnounceNonCompact), (nameof(HttpWriteScrape), HttpWriteScrape),
        (nameof(HttpWriteFailure), HttpWriteFailure),
    ];

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder();
        foreach (var b in bytes)
            text.Append(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' ? ((char)b).ToString() : $"%{b:X2}");
        return text.ToString();
    }
}
