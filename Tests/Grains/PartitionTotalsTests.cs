using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

/// <summary>The partitions' running sums that GET /api/v1/stats reads instead of visiting every swarm.</summary>
public sealed class PartitionTotalsTests
{
    [Fact]
    public async Task partition_totals_follow_joins_completions_stops_and_the_sweep()
    {
        await using var cluster = await GrainTestCluster.StartAsync(o => o.CleanupPeerless = true);
        var hash = NewHash();
        var grain = cluster.Torrent(hash);
        var partition = cluster.PartitionOf(hash);
        var leecher = NewPeer();

        await grain.Announce(Request(leecher, At("105.105.105.105", 0x7070), AnnounceEvent.Started, left: 10));
        await grain.Announce(Request(NewPeer(), At("106.106.106.106", 0x7070), AnnounceEvent.Started, left: 0));
        await Eventually.Equal(new SwarmTotals(1, 1, 1, 0), partition.Totals, "one torrent, a seeder and a leecher");

        await grain.Announce(Request(leecher, At("105.105.105.105", 0x7070), AnnounceEvent.Completed, left: 0));
        await Eventually.Equal(new SwarmTotals(1, 2, 0, 1), partition.Totals, "the leecher completed");

        await grain.Announce(Request(leecher, At("105.105.105.105", 0x7070), AnnounceEvent.Stopped, left: 0));
        await Eventually.Equal(new SwarmTotals(1, 1, 0, 1), partition.Totals, "the completed peer stopped");

        // The last peer times out: the sweep drops the swarm and its counts from the sums.
        cluster.Clock.Advance(cluster.Options.PeerTimeout + TimeSpan.FromSeconds(1));
        await partition.SweepNow();
        Assert.Equal(default, await partition.Totals());
    }

    [Fact]
    public async Task a_steady_reannounce_sends_the_partition_nothing_new()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var grain = cluster.Torrent(hash);
        var partition = cluster.PartitionOf(hash);
        var peer = NewPeer();
        await grain.Announce(Request(peer, At("105.105.105.105", 0x7070), AnnounceEvent.Started, left: 0));
        await Eventually.Equal(new SwarmTotals(1, 1, 0, 0), partition.Totals, "the first announce registered");

        for (var i = 0; i < 5; i++)
            await grain.Announce(Request(peer, At("105.105.105.105", 0x7070), left: 0));
        Assert.Equal(new SwarmTotals(1, 1, 0, 0), await partition.Totals());
    }
}
