using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

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
    public async Task a_scrape_listing_one_unknown_hash_many_times_is_answered()
    {
        // Each scrape of an unknown torrent deactivates it; calls racing into it meanwhile are
        // forwarded from one leaving activation to the next until Orleans rejects them (two
        // forwards). The seam calls each distinct torrent of a scrape once.
        await using var cluster = await GrainTestCluster.StartAsync();
        var options = Microsoft.Extensions.Options.Options.Create(new OrleansTracker.Frontends.FrontendOptions());
        var logic = new OrleansTracker.Frontends.Logic.TrackerLogic(
            new OrleansTracker.Frontends.Logic.DirectTorrentCalls(new TorrentReferences(cluster.Client)), options,
            new OrleansTracker.Frontends.Access.AccessPolicy(options, TimeProvider.System));
        for (var round = 0; round < 20; round++)
        {
            var hashes = Enumerable.Repeat(NewHash(), 74).ToArray();
            var counts = new SwarmCounts[hashes.Length];
            await StartScrape(logic, hashes, counts);
            Assert.All(counts, c => Assert.Equal(SwarmCounts.Empty, c));
        }
    }

    private static ValueTask StartScrape(OrleansTracker.Frontends.Logic.TrackerLogic logic, InfoHash[] hashes, SwarmCounts[] counts) =>
        logic.Scrape(new OrleansTracker.Frontends.Logic.ScrapeInput { Client = OrleansTracker.Frontends.Logic.ClientOrigin.Datagram(At("105.105.105.105", 0x7070)) }, hashes, counts).Completion;

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
