using OrleansTracker.Frontends.Admin;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Grains;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// The admin API's statistics and torrent list are cluster-wide: read through any silo, they count
/// the swarms of every silo (announces arrive through the frontends of all three).
/// </summary>
public sealed class ClusterWideAdminTests
{
    [Fact]
    public async Task stats_and_the_torrent_list_read_through_any_silo_cover_every_silos_swarms()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync();
        var gateways = cluster.Silos.Select(ThreeSiloCluster.GatewayOf).ToArray();
        var hashes = Enumerable.Range(0, 6).Select(_ => NewHash()).OrderBy(h => h).ToArray();
        for (var i = 0; i < hashes.Length; i++)
        {
            // A seeder through one silo's frontend, a leecher through the next one's.
            await gateways[i % 3].Announce(hashes[i], Request(NewPeer(), At($"105.105.105.{i + 1}", 0x7070), AnnounceEvent.Started, left: 0));
            await gateways[(i + 1) % 3].Announce(hashes[i], Request(NewPeer(), At($"106.106.106.{i + 1}", 0x7070), AnnounceEvent.Started));
        }

        foreach (var silo in cluster.Silos)
        {
            var grains = ThreeSiloCluster.GrainsOf(silo);
            var reader = new StatisticsReader(grains, new TrackerStatistics());
            // Partitions learn counts through one-way messages: wait (bounded) for them to land.
            var totals = await Eventually.Until(async () => (await reader.Read()).Swarms, t => t.Torrents == 6 && t.Leechers == 6,
                $"the totals read through {silo.SiloAddress}", TimeSpan.FromSeconds(20));
            Assert.Equal(new SwarmTotals(6, 6, 6, 0), totals);

            var page = await new TorrentPager(grains).Page(0, 100);
            Assert.Equal(hashes, page.Select(e => e.InfoHash).ToArray());
            Assert.All(page, e => Assert.Equal(new SwarmCounts(1, 1, 0), e.Counts));

            // Pages of two, in order, cover the same six.
            var paged = new List<InfoHash>();
            for (var offset = 0; offset < 6; offset += 2)
                paged.AddRange((await new TorrentPager(grains).Page(offset, 2)).Select(e => e.InfoHash));
            Assert.Equal(hashes, paged.ToArray());
        }
    }
}
