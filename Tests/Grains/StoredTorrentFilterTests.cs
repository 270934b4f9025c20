using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;

namespace OrleansTracker.Tests.Grains;

/// <summary>The partition's filter of stored hashes on its own (no Orleans).</summary>
public sealed class StoredTorrentFilterTests
{
    [Fact]
    public void every_added_hash_may_be_stored_and_few_others_do()
    {
        var filter = new StoredTorrentFilter();
        var added = Enumerable.Range(0, 100_000).Select(_ => NewHash()).ToArray();
        foreach (var hash in added)
            filter.Add(hash);

        Assert.All(added, h => Assert.True(filter.MayContain(h)));
        // 100k in 2^23 bits with 6 probes: about 1e-9 expected; 1 % would mean a broken hash.
        var falsePositives = Enumerable.Range(0, 100_000).Count(_ => filter.MayContain(NewHash()));
        Assert.InRange(falsePositives, 0, 1_000);
        Assert.Equal(100_000, filter.Added);
    }

    [Fact]
    public void an_empty_filter_knows_nothing_stored()
    {
        var filter = new StoredTorrentFilter();

        Assert.DoesNotContain(true, Enumerable.Range(0, 1000).Select(_ => filter.MayContain(NewHash())));
    }

    [Fact]
    public void adds_from_several_threads_are_all_kept()
    {
        var filter = new StoredTorrentFilter();
        var added = Enumerable.Range(0, 40_000).Select(_ => NewHash()).ToArray();

        Parallel.ForEach(added, new ParallelOptions { MaxDegreeOfParallelism = 4 }, filter.Add);

        Assert.All(added, h => Assert.True(filter.MayContain(h)));
    }

    [Fact]
    public void hashes_that_differ_in_one_byte_are_told_apart()
    {
        var filter = new StoredTorrentFilter();
        var bytes = new byte[InfoHash.Length];
        filter.Add(InfoHash.Read(bytes));

        var others = Enumerable.Range(0, InfoHash.Length).Count(i =>
        {
            var other = (byte[])bytes.Clone();
            other[i] = 1;
            return filter.MayContain(InfoHash.Read(other));
        });

        Assert.Equal(0, others);
    }
}
