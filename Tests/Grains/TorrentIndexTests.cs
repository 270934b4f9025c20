using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;
using Xunit;

namespace OrleansTracker.Tests.Grains;

/// <summary>The partition's ordered torrent list, without Orleans.</summary>
public sealed class TorrentIndexTests
{
    private static InfoHash Hash(params byte[] prefix)
    {
        var bytes = new byte[InfoHash.Length];
        prefix.CopyTo(bytes, 0);
        bytes[^1] = (byte)Random.Shared.Next(256);
        return InfoHash.Read(bytes);
    }

    [Fact]
    public void pages_walk_every_hash_in_order_across_two_byte_buckets()
    {
        var index = new TorrentIndex();
        var hashes = new List<InfoHash>();
        for (var i = 0; i < 300; i++)
            hashes.Add(InfoHash.Read(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)));
        hashes.Add(Hash(0x00, 0x00));
        hashes.Add(Hash(0xFF, 0xFF, 0xFF));
        hashes.AddRange(Enumerable.Range(0, 20).Select(i => Hash(0xAB, 0xCD, (byte)i)));
        foreach (var hash in hashes)
            index.Add(hash);
        var expected = hashes.Distinct().Order().ToList();

        Assert.Equal(expected, index.From(default, 10_000));
        Assert.Equal(expected.Skip(100).Take(17), index.From(expected[100], 17));
        // A start between two stored hashes begins at the next one.
        var between = Hash(0xAB, 0xCD);
        Assert.Equal(expected.Where(h => h >= between).Take(5), index.From(between, 5));
    }

    [Fact]
    public void histograms_count_hashes_per_first_byte_and_per_second_byte()
    {
        var index = new TorrentIndex();
        index.Add(Hash(0x01, 0x02, 1));
        index.Add(Hash(0x01, 0x02, 2));
        index.Add(Hash(0x01, 0x07));
        index.Add(Hash(0x09, 0x00));

        var first = index.Histogram(null);
        Assert.Equal(3, first[0x01]);
        Assert.Equal(1, first[0x09]);
        Assert.Equal(4, first.Sum());
        var second = index.Histogram(0x01);
        Assert.Equal(2, second[0x02]);
        Assert.Equal(1, second[0x07]);
        Assert.Equal(3, second.Sum());
    }

    [Fact]
    public void removing_a_hash_takes_it_out_of_pages_and_counts_and_adding_twice_counts_once()
    {
        var index = new TorrentIndex();
        var a = Hash(0x10, 0x20, 1);
        var b = Hash(0x10, 0x20, 2);
        index.Add(a);
        index.Add(a);
        index.Add(b);
        Assert.Equal(2, index.Count);
        Assert.Equal(2, index.Histogram(0x10)[0x20]);

        index.Remove(a);
        index.Remove(a);
        Assert.Equal([b], index.From(default, 10));
        Assert.Equal(1, index.Histogram(null)[0x10]);
    }
}
