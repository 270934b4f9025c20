using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// Register and Unregister are one-way messages, which Orleans does not order: an activation's
/// Unregister can arrive after the next activation's Register (they may come from two silos), and a
/// Register can arrive after the Unregister sent later. Without versions on both and a tombstone
/// for the removed swarm, the first dropped a live swarm from its partition (no sweeps, missing
/// from the statistics, for up to 2 × cleanup_interval + 1 min) and the second left a ghost entry.
/// These tests deliver the messages in those orders.
/// </summary>
public sealed class PartitionOrderingTests
{
    [Fact]
    public async Task a_late_unregister_of_an_old_activation_leaves_the_live_swarm_registered_and_swept()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var partition = cluster.PartitionOf(hash);
        await cluster.Torrent(hash).Announce(Request(NewPeer(), At("105.105.105.105", 0x7070), AnnounceEvent.Started));
        await Eventually.Equal(1, () => partition.RegisteredCount(), "the live swarm's registration");

        await partition.Unregister(hash, version: 1);   // sent by an earlier activation, overtaken
        await Delivered(partition, hash);

        Assert.Equal(2, await partition.RegisteredCount());   // with the marker
        cluster.Clock.Advance(cluster.Options.PeerTimeout);
        Assert.Equal(1, await partition.SweepNow());    // the partition still sweeps it (and drops the marker)
        await Eventually.Equal(0, () => partition.RegisteredCount(), "the swept swarms leaving");
    }

    [Fact]
    public async Task a_register_overtaken_by_the_unregister_leaves_no_ghost()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var partition = cluster.PartitionOf(hash);
        await partition.Register(hash, new SwarmCounts(0, 1, 0), version: 10);

        await partition.Unregister(hash, version: 12);
        await partition.Register(hash, new SwarmCounts(0, 2, 0), version: 11);   // sent before the Unregister
        await Delivered(partition, hash);

        Assert.Equal(new SwarmTotals(1, 0, 1, 0), await partition.Totals());      // the marker only
        await partition.Register(hash, new SwarmCounts(0, 1, 0), version: 13);   // a new activation
        await Eventually.Equal(2, partition.RegisteredCount, "the new activation registered");
    }

    [Fact]
    public async Task an_unregister_that_arrives_before_anything_still_stops_its_older_register()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var partition = cluster.PartitionOf(hash);

        await partition.Unregister(hash, version: 12);
        await partition.Register(hash, new SwarmCounts(0, 1, 0), version: 11);
        await Delivered(partition, hash);

        Assert.Equal(1, await partition.RegisteredCount());   // the marker only
    }

    /// <summary>
    /// Waits until a marker swarm of the same partition, registered after the messages above, is
    /// counted: the test client's one-way messages to one grain arrive in the order sent, so the
    /// earlier ones have been handled.
    /// </summary>
    private static async Task Delivered(ISweepPartitionGrain partition, InfoHash hash)
    {
        var marker = SameBucket(hash);
        await partition.Register(marker, new SwarmCounts(0, 1, 0), 1);
        await Eventually.Until(async () => (await partition.ListFrom(default, 100)).Any(e => e.InfoHash == marker), x => x, "the marker registered");
    }
}
