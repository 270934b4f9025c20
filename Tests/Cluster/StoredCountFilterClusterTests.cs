using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Persistence;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// The partitions' filter of stored torrents in a cluster of three silos sharing one SQLite file,
/// with the real catalog: rows stored by an earlier run are known, and a count stored by an
/// activation on one silo is read by the next activation on another. The filter lives in the
/// partition (one per bucket in the cluster), not in a silo, so no silo can be left behind by
/// another's write.
/// </summary>
public sealed class StoredCountFilterClusterTests : IDisposable
{
    private readonly SqliteEngine _sqlite = new();

    [Fact]
    public async Task counts_stored_before_start_or_on_another_silo_are_never_hidden()
    {
        var database = _sqlite.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");
        var earlier = Enumerable.Range(0, 4).Select(_ => NewHash()).ToArray();
        await using (var first = await ThreeSiloCluster.StartAsync(o => o.StoredFilterDelay = TimeSpan.FromHours(1), database, serviceId))
        {
            foreach (var hash in earlier)
                await CompleteAndLeaveAsync(first, first.Silos[0], hash);
        }

        await using var cluster = await ThreeSiloCluster.StartAsync(o => o.StoredFilterDelay = TimeSpan.Zero, database, serviceId);
        await PartitionsKnowTheStoredTorrents(cluster);
        foreach (var hash in earlier)
        {
            Assert.True(await cluster.Client.GetGrain<ISweepPartitionGrain>(SweepPartitions.For(hash)).MayBeStored(hash));
            Assert.Equal(new SwarmCounts(0, 0, 1), await ScrapeOnAsync(cluster.Silos[2], hash));
        }

        // Stored through an activation on silo 0, then read by one on silo 1.
        var later = Enumerable.Range(0, 4).Select(_ => NewHash()).ToArray();
        foreach (var hash in later)
        {
            await CompleteAndLeaveAsync(cluster, cluster.Silos[0], hash);
            Assert.Equal(new SwarmCounts(0, 0, 1), await ScrapeOnAsync(cluster.Silos[1], hash));
        }
    }

    public void Dispose() => _sqlite.Dispose();

    /// <summary>A peer starts, completes and stops on <paramref name="silo"/>; the sweep saves the count and the swarm leaves memory.</summary>
    private static async Task CompleteAndLeaveAsync(ThreeSiloCluster cluster, Orleans.TestingHost.InProcessSiloHandle silo, InfoHash hash)
    {
        var gateway = ThreeSiloCluster.GatewayOf(silo);
        var (peer, at) = (NewPeer(), At("105.105.105.105", 0x7070));
        foreach (var (announceEvent, left) in new[] { (AnnounceEvent.Started, 1000L), (AnnounceEvent.Completed, 0L), (AnnounceEvent.Stopped, 0L) })
            await ThreeSiloCluster.PlacingOn(silo, () => gateway.Announce(hash, Request(peer, at, announceEvent, left)).AsTask());
        var partition = cluster.Client.GetGrain<ISweepPartitionGrain>(SweepPartitions.For(hash));
        await Eventually.Until(async () => { await partition.SweepNow(); return await cluster.HostOfAsync(hash); }, host => host is null, "the swept swarm saved and gone");
        Assert.Equal(1, await cluster.StoredCompletedAsync(hash));
    }

    private static async Task<SwarmCounts> ScrapeOnAsync(Orleans.TestingHost.InProcessSiloHandle silo, InfoHash hash)
    {
        return await ThreeSiloCluster.PlacingOn(silo, () => ThreeSiloCluster.GatewayOf(silo).Scrape(hash).AsTask());
    }

    private static async Task PartitionsKnowTheStoredTorrents(ThreeSiloCluster cluster)
    {
        for (var p = 0; p < SweepPartitions.Count; p++)
        {
            var probe = NewHash();
            while (SweepPartitions.For(probe) != p)
                probe = NewHash();
            await Eventually.Until(() => cluster.Client.GetGrain<ISweepPartitionGrain>(p).MayBeStored(probe), may => !may, $"partition {p} knowing its stored torrents");
        }
    }
}
