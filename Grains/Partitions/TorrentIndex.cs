using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// The info hashes one sweep partition lists, in order, with counts per one- and two-byte prefix
/// so the admin API can find the page that starts at an offset without walking what lies before it:
/// two histogram rounds narrow the offset to one two-byte bucket (about n/65536 hashes), then a
/// page walks from there. Adding or removing a hash is O(log n). Plain data structure, no Orleans.
/// </summary>
internal sealed class TorrentIndex
{
    private static readonly InfoHash Last = InfoHash.Read(Enumerable.Repeat((byte)0xFF, InfoHash.Length).ToArray());

    private readonly SortedSet<InfoHash> _ordered = [];
    private readonly int[] _byFirstByte = new int[256];
    private readonly int[] _byTwoBytes = new int[65536];

    public int Count => _ordered.Count;

    public bool Contains(InfoHash hash) => _ordered.Contains(hash);

    public void Add(InfoHash hash)
    {
        if (!_ordered.Add(hash))
            return;
        var prefix = Prefix(hash);
        _byFirstByte[prefix >> 8]++;
        _byTwoBytes[prefix]++;
    }

    public void Remove(InfoHash hash)
    {
        if (!_ordered.Remove(hash))
            return;
        var prefix = Prefix(hash);
        _byFirstByte[prefix >> 8]--;
        _byTwoBytes[prefix]--;
    }

    /// <summary>Hashes per first byte (<paramref name="firstByte"/> null), or per second byte under one first byte.</summary>
    public int[] Histogram(int? firstByte) =>
        firstByte is { } first ? _byTwoBytes.AsSpan(first << 8, 256).ToArray() : (int[])_byFirstByte.Clone();

    /// <summary>Up to <paramref name="count"/> hashes from <paramref name="from"/> on (inclusive), in order.</summary>
    public List<InfoHash> From(InfoHash from, int count)
    {
        var page = new List<InfoHash>(Math.Min(count, _ordered.Count));
        // One bounded view per non-empty two-byte bucket: a SortedSet view counts its range when it
        // is made, so a view to the end would cost the whole tail.
        for (var bucket = Prefix(from); bucket < _byTwoBytes.Length && page.Count < count; bucket++)
        {
            if (_byTwoBytes[bucket] == 0)
                continue;
            var start = bucket == Prefix(from) ? from : BucketStart(bucket);
            foreach (var hash in _ordered.GetViewBetween(start, BucketEnd(bucket)))
            {
                page.Add(hash);
                if (page.Count == count)
                    break;
            }
        }
        return page;
    }

    public static int Prefix(InfoHash hash)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.Length];
        hash.WriteTo(bytes);
        return (bytes[0] << 8) | bytes[1];
    }

    /// <summary>The smallest hash whose first two bytes are <paramref name="prefix"/>.</summary>
    public static InfoHash BucketStart(int prefix)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.Length];
        bytes[0] = (byte)(prefix >> 8);
        bytes[1] = (byte)prefix;
        return InfoHash.Read(bytes);
    }

    private static InfoHash BucketEnd(int prefix)
    {
        if (prefix == 0xFFFF)
            return Last;
        Span<byte> bytes = stackalloc byte[InfoHash.Length];
        bytes.Fill(0xFF);
        bytes[0] = (byte)(prefix >> 8);
        bytes[1] = (byte)prefix;
        return InfoHash.Read(bytes);
    }
}
