using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

public sealed class CompletedPersistenceTests
{
    [Fact]
    public async Task completed_count_is_written_by_the_partition_flush_and_survives_deactivation()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var grain = cluster.Torrent(hash);
        var partition = cluster.PartitionOf(hash);
        var peer = NewPeer();
        var endpoint = At("105.105.105.105", 0x7070);

        await grain.Announce(Request(peer, endpoint, AnnounceEvent.Started));
        var completed = await grain.Announce(Request(peer, endpoint, AnnounceEvent.Completed, left: 0));
        Assert.Equal((1, 0, 1L), (completed.Seeders, completed.Leechers, completed.Completed));
        Assert.False((await cluster.StoredStateAsync(hash)).Exists);

        // MarkDirty is one-way and may arrive after our FlushNow: flush until the write shows.
        await Eventually.Until(
            async () =>
            {
                await partition.FlushNow();
                return await cluster.StoredStateAsync(hash);
            },
            s => s is (true, 1),
            "the stored completed count after FlushNow");
        Assert.Equal(1, await cluster.ActivationsOfAsync(hash)); // written while the grain is still alive

        // Let the peer time out: the sweep drops the swarm and the grain deactivates.
        cluster.Clock.Advance(cluster.Options.PeerTimeout + TimeSpan.FromSeconds(1));
        await partition.SweepNow();
        await Eventually.Equal(0, () => cluster.ActivationsOfAsync(hash), "activations of the swept swarm");

        Assert.Equal(new SwarmCounts(0, 0, 1), await grain.Scrape());
        Assert.Equal((true, 1L), await cluster.StoredStateAsync(hash));
    }

    [Fact]
    public async Task the_persistence_timer_flushes_a_changed_completed_count()
    {
        await using var cluster = await GrainTestCluster.StartAsync(o => o.PersistenceInterval = TimeSpan.FromSeconds(1));
        var hash = NewHash();
        var grain = cluster.Torrent(hash);
        var peer = NewPeer();
        var endpoint = At("105.105.105.105", 0x7070);

        await grain.Announce(Request(peer, endpoint, AnnounceEvent.Started));
        await grain.Announce(Request(peer, endpoint, AnnounceEvent.Completed, left: 0));

        await Eventually.Equal((true, 1L), () => cluster.StoredStateAsync(hash), "the stored completed count");
        Assert.Equal(1, await cluster.ActivationsOfAsync(hash));
    }
}
