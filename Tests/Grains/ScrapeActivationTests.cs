using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;

namespace OrleansTracker.Tests.Grains;

public sealed class ScrapeActivationTests
{
    [Fact]
    public async Task scrape_of_an_unknown_hash_leaves_no_activation_behind()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();

        Assert.Equal(SwarmCounts.Empty, await cluster.Torrent(hash).Scrape());

        await Eventually.Equal(0, () => cluster.ActivationsOfAsync(hash), "activations of the scraped unknown hash");
        Assert.Equal(0, await cluster.PartitionOf(hash).RegisteredCount());
        Assert.False((await cluster.StoredStateAsync(hash)).Exists);
    }

    [Fact]
    public async Task scrape_of_a_live_swarm_keeps_its_activation()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        await cluster.Torrent(hash).Announce(Request(NewPeer(), At("105.105.105.105", 0x7070), AnnounceEvent.Started));

        Assert.Equal(new SwarmCounts(0, 1, 0), await cluster.Torrent(hash).Scrape());

        Assert.Equal(1, await cluster.ActivationsOfAsync(hash));
    }
}
