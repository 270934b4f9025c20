using System.Buffers;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

public static partial class HttpResponseWriter
{
    // 20:<hash> d 8:complete i..e 10:downloaded i..e 10:incomplete i..e e
    private const int ScrapeEntryLength = 3 + InfoHash.Length + 1
        + 10 + BencodeBuffer.MaxInt32Length + 13 + BencodeBuffer.MaxInt64Length + 13 + BencodeBuffer.MaxInt32Length + 1;

    // Up to this many hashes are sorted on the stack (24 bytes each); more use the shared pool.
    private const int StackSortLimit = 128;

    public static int MaxScrapeLength(int hashCount) => 9 + (hashCount * ScrapeEntryLength) + 2;

    /// <summary>
    /// A scrape response (BEP 48): <c>files</c> maps each raw 20-byte hash to complete (seeders),
    /// downloaded (completed) and incomplete (leechers). <paramref name="hashes"/> and
    /// <paramref name="counts"/> are parallel, in request order; keys are written sorted by raw bytes
    /// as BEP 3 requires and a hash asked for twice is written once (its first occurrence).
    /// </summary>
    public static int WriteScrape(Span<byte> destination, ReadOnlySpan<InfoHash> hashes, ReadOnlySpan<SwarmCounts> counts)
    {
        if (hashes.Length != counts.Length)
            throw new ArgumentException("one count per hash", nameof(counts));

        Entry[]? rented = null;
        var order = hashes.Length <= StackSortLimit
            ? stackalloc Entry[StackSortLimit]
            : (rented = ArrayPool<Entry>.Shared.Rent(hashes.Length));
        order = order[..hashes.Length];
        for (var i = 0; i < hashes.Length; i++)
            order[i] = new Entry(hashes[i], i);
        // InfoHash orders like its bytes; the index breaks ties so the first occurrence comes first.
        order.Sort();

        var b = new BencodeBuffer(destination);
        b.Raw("d5:filesd"u8);
        Span<byte> raw = stackalloc byte[InfoHash.Length];
        for (var i = 0; i < order.Length; i++)
        {
            if (i > 0 && order[i].Hash == order[i - 1].Hash)
                continue;
            var c = counts[order[i].Index];
            order[i].Hash.WriteTo(raw);
            b.String(raw);
            b.Raw("d8:complete"u8);
            b.Integer(c.Seeders);
            b.Raw("10:downloaded"u8);
            b.Integer(c.Completed);
            b.Raw("10:incomplete"u8);
            b.Integer(c.Leechers);
            b.Raw((byte)'e');
        }
        b.Raw("ee"u8);
        if (rented is not null)
            ArrayPool<Entry>.Shared.Return(rented);
        return b.Length;
    }

    private readonly struct Entry(InfoHash hash, int index) : IComparable<Entry>
    {
        public InfoHash Hash { get; } = hash;
        public int Index { get; } = index;

        public int CompareTo(Entry other)
        {
            var c = Hash.CompareTo(other.Hash);
            return c != 0 ? c : Index.CompareTo(other.Index);
        }
    }
}
