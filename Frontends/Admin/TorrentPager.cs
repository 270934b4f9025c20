using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// Pages of the torrent list in hash order, merged from the 16 sweep partitions (each holds one hash
/// bucket, in order). An offset is found without reading what lies before it: the partitions'
/// counts per first byte, then per second byte, narrow it to one two-byte prefix; each partition
/// then returns at most (the rest of the offset inside that prefix + limit) rows from there. A page
/// costs 48 grain calls and O(limit + n/65536) rows, whatever the number of torrents.
/// </summary>
internal sealed class TorrentPager(IGrainFactory grains)
{
    public async Task<IReadOnlyList<TorrentListEntry>> Page(int offset, int limit)
    {
        if (limit == 0)
            return [];
        var from = default(InfoHash);
        var skip = offset;
        if (skip > 0)
        {
            var first = Locate(await Histogram(null), ref skip);
            if (first < 0)
                return [];   // the offset is past the end
            var second = Locate(await Histogram(first), ref skip);
            if (second < 0)
                return [];   // the list shrank between the two reads
            from = PrefixStart(first, second);
        }
        var pages = await Task.WhenAll(Partitions().Select(p => p.ListFrom(from, skip + limit)));
        return pages.SelectMany(p => p).OrderBy(e => e.InfoHash).Skip(skip).Take(limit).ToArray();
    }

    private async Task<int[]> Histogram(int? firstByte)
    {
        var all = await Task.WhenAll(Partitions().Select(p => p.ListHistogram(firstByte)));
        var sum = new int[256];
        foreach (var histogram in all)
        {
            for (var i = 0; i < sum.Length; i++)
                sum[i] += histogram[i];
        }
        return sum;
    }

    /// <summary>The bucket holding item number <paramref name="skip"/>; <paramref name="skip"/> becomes the offset inside it.</summary>
    private static int Locate(int[] histogram, ref int skip)
    {
        for (var i = 0; i < histogram.Length; i++)
        {
            if (skip < histogram[i])
                return i;
            skip -= histogram[i];
        }
        return -1;
    }

    private static InfoHash PrefixStart(int first, int second)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.Length];
        bytes[0] = (byte)first;
        bytes[1] = (byte)second;
        return InfoHash.Read(bytes);
    }

    private IEnumerable<ISweepPartitionGrain> Partitions() =>
        Enumerable.Range(0, SweepPartitions.Count).Select(i => grains.GetGrain<ISweepPartitionGrain>(i));
}
