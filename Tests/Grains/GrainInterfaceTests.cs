using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// Every grain method once through the test host: a type without a codec builds cleanly but fails
/// here with CodecNotFoundException.
/// </summary>
public sealed class GrainInterfaceTests
{
    [Fact]
    public async Task every_torrent_grain_method_round_trips_through_the_host()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var grain = cluster.Torrent(hash);

        var announce = await grain.Announce(Request(NewPeer(), At("105.105.105.105", 0x7070), AnnounceEvent.Started));
        Assert.Equal((0, 1, 0L), (announce.Seeders, announce.Leechers, announce.Completed));

        Assert.Equal(new SwarmCounts(0, 1, 0), await grain.Scrape());

        var sweep = await grain.Sweep();
        Assert.Equal(new SweepReport(new SwarmCounts(0, 1, 0), 0, false), sweep);

        Assert.True(await grain.Flush());
    }

    [Fact]
    public async Task a_count_report_overtaken_by_a_newer_one_is_ignored()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var partition = cluster.PartitionOf(hash);

        await partition.Register(hash, new SwarmCounts(1, 1, 0), 2);
        await Eventually.Equal(1, partition.RegisteredCount, "registered swarms");
        await partition.Register(hash, new SwarmCounts(1, 0, 0), 1); // arrives late
        await partition.Register(hash, new SwarmCounts(2, 1, 0), 2); // same version: not newer
        // A marker swarm in the same partition, sent after them: once it is counted, so are they.
        var marker = SameBucket(hash);
        await partition.Register(marker, new SwarmCounts(0, 1, 0), 1);
        await Eventually.Equal(2, partition.RegisteredCount, "the marker registered");
        Assert.Equal(new SwarmTotals(2, 1, 2, 0), await partition.Totals());

        await partition.Register(hash, new SwarmCounts(2, 1, 0), 3);
        await Eventually.Equal(new SwarmTotals(2, 2, 2, 0), partition.Totals, "the newer report taken");
    }

    [Fact]
    public async Task every_sweep_partition_method_round_trips_through_the_host()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var partition = cluster.PartitionOf(hash);

        await partition.EnsureReminder();
        await partition.Register(hash, new SwarmCounts(1, 2, 3), 1);
        await Eventually.Equal(1, partition.RegisteredCount, "registered swarms after Register");
        Assert.Equal(new SwarmTotals(1, 1, 2, 3), await partition.Totals());
        await partition.MarkDirty(hash);
        Assert.Equal(0, await partition.FlushNow());
        Assert.Equal(0, await partition.SweepNow());
        await partition.Unregister(hash, 2);
        await Eventually.Equal(0, partition.RegisteredCount, "registered swarms after Unregister");
    }

    [Fact]
    public async Task the_cluster_statistics_grain_sums_the_other_processes()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var grain = ClusterStatistics.Get(cluster.Client);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await grain.Report(a, ProtocolCounters.Zero with { Udp4Announces = 5, Tcp6Scrapes = 1 });
        await grain.Report(b, ProtocolCounters.Zero with { Udp4Announces = 7 });
        await grain.Report(a, ProtocolCounters.Zero with { Udp4Announces = 6, Tcp6Scrapes = 1 });
        await Eventually.Equal(ProtocolCounters.Zero with { Udp4Announces = 13, Tcp6Scrapes = 1 }, () => grain.Total(Guid.Empty), "the sum of both processes");
        Assert.Equal(ProtocolCounters.Zero with { Udp4Announces = 7 }, await grain.Total(a));
    }
}
