using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;

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
    public async Task every_sweep_partition_method_round_trips_through_the_host()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var partition = cluster.PartitionOf(hash);

        await partition.EnsureReminder();
        await partition.Register(hash);
        await Eventually.Equal(1, partition.RegisteredCount, "registered swarms after Register");
        await partition.MarkDirty(hash);
        Assert.Equal(0, await partition.FlushNow());
        Assert.Equal(0, await partition.SweepNow());
        await partition.Unregister(hash);
        await Eventually.Equal(0, partition.RegisteredCount, "registered swarms after Unregister");
    }
}
