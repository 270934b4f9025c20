using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Grains;
using Xunit;

namespace OrleansTracker.Tests.Limits;

/// <summary>
/// A swarm with one completed download, for the cap tests: evicted early (nothing announces it
/// again), it must save its count before it leaves and read it back when it returns.
/// </summary>
internal static class FinishedSwarm
{
    public static async Task<InfoHash> CreateAsync(GrainTestCluster cluster)
    {
        var hash = Announces.NewHash();
        var peer = Announces.NewPeer();
        var at = Announces.At("105.105.105.105", 0x7070);
        await cluster.Torrent(hash).Announce(Announces.Request(peer, at, AnnounceEvent.Started));
        await cluster.Torrent(hash).Announce(Announces.Request(peer, at, AnnounceEvent.Completed, left: 0));
        return hash;
    }

    public static async Task AssertEvictedWithItsCountKeptAsync(GrainTestCluster cluster, InfoHash hash)
    {
        Assert.Equal(0, await cluster.ActivationsOfAsync(hash));
        Assert.Equal((true, 1L), await cluster.StoredStateAsync(hash));
        Assert.Equal(1, (await cluster.Torrent(hash).Scrape()).Completed);
    }
}
