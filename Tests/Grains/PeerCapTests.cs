using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Torrents;
using Xunit;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// max_peers_per_swarm through the torrent grain: the swarm's evictions reach the process counter
/// that the statistics publish as peers_evicted. The eviction rules are tested in Tests/Swarm.
/// </summary>
public sealed class PeerCapTests
{
    private const int Cap = 10;   // batches of one peer (1/32 of the cap, at least one)
    private const int Flood = 25;

    [Fact]
    public async Task a_flood_of_peer_ids_into_one_swarm_stays_at_the_cap_and_counts_its_evictions()
    {
        await using var cluster = await GrainTestCluster.StartAsync(o => o.MaxPeersPerSwarm = Cap);
        var cap = cluster.SiloService<SiloSwarms>();
        var torrent = cluster.Torrent(Announces.NewHash());

        for (var i = 0; i < Flood; i++)
        {
            cluster.Clock.Advance(TimeSpan.FromMilliseconds(1));
            await torrent.Announce(Announces.Request(Announces.NewPeer(), Announces.At("108.108.108.108", (ushort)(1000 + i)), left: i % 2));
        }

        var counts = await torrent.Scrape();
        // The last ten announces stay: i = 15..24, seeders where i is even.
        Assert.Equal((5, 5), (counts.Seeders, counts.Leechers));
        Assert.Equal(Flood - Cap, cap.PeersEvicted);
    }
}
