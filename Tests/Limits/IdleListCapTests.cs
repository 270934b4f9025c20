using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Grains;
using Xunit;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Limits;

/// <summary>
/// max_idle_torrents_listed on one real silo: swarms that finish (started, completed, stopped) and
/// leave memory stay listed with their completed counts only up to the cap; the rest leave the list,
/// are counted, keep their stored counts and are listed again when announced.
/// </summary>
public sealed class IdleListCapTests
{
    private const int Cap = 32;   // two per sweep partition
    private const int Finished = 100;

    [Fact]
    public async Task finished_swarms_beyond_the_cap_leave_the_list_but_not_the_store()
    {
        await using var cluster = await GrainTestCluster.StartAsync(o => o.MaxIdleTorrentsListed = Cap);
        var counter = cluster.SiloService<MemoryCapCounters>();
        var hashes = Enumerable.Range(0, Finished).Select(_ => Announces.NewHash()).ToArray();
        foreach (var hash in hashes)
        {
            var peer = Announces.NewPeer();
            var at = Announces.At("105.105.105.105", 0x7070);
            await cluster.Torrent(hash).Announce(Announces.Request(peer, at, AnnounceEvent.Started));
            await cluster.Torrent(hash).Announce(Announces.Request(peer, at, AnnounceEvent.Completed, left: 0));
            await cluster.Torrent(hash).Announce(Announces.Request(peer, at, AnnounceEvent.Stopped, left: 0));
        }
        // The sweeps take the empty swarms out of memory (saving their counts): they become idle.
        for (var p = 0; p < SweepPartitions.Count; p++)
            await cluster.Client.GetGrain<ISweepPartitionGrain>(p).SweepNow();

        var listed = await ListedAsync(cluster);
        Assert.InRange(listed.Count, 1, Cap);
        Assert.All(listed, e => Assert.Equal(new SwarmCounts(0, 0, 1), e.Counts));
        Assert.Equal(Finished - listed.Count, counter.TorrentsUnlisted);

        // An unlisted torrent keeps its stored count and is listed again when a peer announces.
        var unlisted = hashes.First(h => listed.All(e => e.InfoHash != h));
        Assert.Equal((true, 1L), await cluster.StoredStateAsync(unlisted));
        await cluster.Torrent(unlisted).Announce(Announces.Request(Announces.NewPeer(), Announces.At("106.106.106.106", 0x7070), AnnounceEvent.Started));
        var again = await Eventually.Until(() => ListedAsync(cluster), l => l.Any(e => e.InfoHash == unlisted), "the announced torrent listed again");
        Assert.Equal(new SwarmCounts(0, 1, 1), again.Single(e => e.InfoHash == unlisted).Counts);
    }

    private static async Task<List<TorrentListEntry>> ListedAsync(GrainTestCluster cluster)
    {
        var all = new List<TorrentListEntry>();
        for (var p = 0; p < SweepPartitions.Count; p++)
            all.AddRange(await cluster.Client.GetGrain<ISweepPartitionGrain>(p).ListFrom(default, 10_000));
        return all;
    }
}
