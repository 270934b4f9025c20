using System.Security.Cryptography;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;
using Xunit;

namespace OrleansTracker.Tests.Grains;

/// <summary>max_idle_torrents_listed inside one partition, without Orleans.</summary>
public sealed class IdleTorrentListTests
{
    private static InfoHash NewHash() => InfoHash.Read(RandomNumberGenerator.GetBytes(InfoHash.Length));

    [Fact]
    public void past_the_capacity_the_torrents_idle_longest_leave_the_list_and_the_index()
    {
        var index = new TorrentIndex();
        var idle = new IdleTorrentList(index, 3);
        var hashes = Enumerable.Range(0, 5).Select(_ => NewHash()).ToArray();

        var dropped = hashes.Select((h, i) => idle.Add(h, i + 1)).ToArray();

        Assert.Equal([0, 0, 0, 1, 1], dropped);
        Assert.Equal(3, idle.Count);
        Assert.Equal(2, idle.Dropped);
        Assert.Equal(hashes[2..].Order(), index.From(default, 100));
        Assert.False(idle.TryGet(hashes[0], out _));
        Assert.True(idle.TryGet(hashes[4], out var completed));
        Assert.Equal(5, completed);
    }

    [Fact]
    public void a_torrent_that_went_idle_again_counts_from_its_latest_time_and_a_swarm_again_is_not_idle()
    {
        var index = new TorrentIndex();
        var idle = new IdleTorrentList(index, 2);
        var (a, b, c, d) = (NewHash(), NewHash(), NewHash(), NewHash());
        idle.Add(a, 1);
        idle.Add(b, 1);
        // a became a swarm (the partition keeps it in the index as a live swarm), then idle again:
        // now the newest, so b goes first.
        idle.Remove(a);
        idle.Add(a, 2);
        Assert.Equal(1, idle.Add(c, 1));
        Assert.False(idle.TryGet(b, out _));
        Assert.True(idle.TryGet(a, out var completed));
        Assert.Equal(2, completed);

        // A live swarm is not idle: it takes no place and is never dropped from the index by the list.
        idle.Remove(c);
        idle.Add(d, 1);
        var e = NewHash();
        Assert.Equal(1, idle.Add(e, 1));   // a, idle longest, goes
        Assert.Equal(new[] { c, d, e }.Order(), index.From(default, 100));
        Assert.Equal(2, idle.Count);
    }

    [Fact]
    public void churn_of_torrents_coming_and_going_keeps_the_bookkeeping_bounded_and_the_order_right()
    {
        var index = new TorrentIndex();
        var idle = new IdleTorrentList(index, 100);
        var hashes = Enumerable.Range(0, 100).Select(_ => NewHash()).ToArray();
        foreach (var hash in hashes)
            idle.Add(hash, 1);
        // 50,000 round trips swarm -> idle of the same torrents: stale queue entries pile up and
        // are compacted away; nothing is dropped, the capacity is never exceeded.
        for (var i = 0; i < 50_000; i++)
        {
            var hash = hashes[i % hashes.Length];
            idle.Remove(hash);
            Assert.Equal(0, idle.Add(hash, 1));
            Assert.True(idle.QueueLength <= 2 * 100 + 1024 + 1, $"queue {idle.QueueLength} after {i} round trips");
        }
        Assert.Equal(0, idle.Dropped);
        // 50,000 is a multiple of 100, so the last round ended with hashes[99] and hashes[0] has
        // been idle longest: a new torrent pushes it out.
        Assert.Equal(1, idle.Add(NewHash(), 1));
        Assert.False(idle.TryGet(hashes[0], out _));
        Assert.True(idle.TryGet(hashes[1], out _));
        Assert.Equal(100, index.Count);
    }

    [Fact]
    public void a_capacity_of_zero_lists_no_idle_torrent()
    {
        var index = new TorrentIndex();
        var idle = new IdleTorrentList(index, 0);
        Assert.Equal(1, idle.Add(NewHash(), 7));
        Assert.Equal(0, index.Count);
        Assert.Equal(0, idle.Count);
    }
}
