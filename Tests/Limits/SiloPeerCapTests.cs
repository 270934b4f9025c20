using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Torrents;
using OrleansTracker.Tests.Grains;
using Xunit;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Limits;

/// <summary>
/// max_peers_per_silo on one real silo: invented peers spread over many hashes, each swarm under
/// max_peers_per_swarm, together far over the silo's peer cap. The manual clock moves 1 ms per
/// announce so "announced longest ago" is exact.
/// </summary>
public sealed class SiloPeerCapTests
{
    private const int PeerCap = 200;
    private const int Swarms = 120;
    private const int PeersEach = 5;

    [Fact]
    public async Task peers_spread_over_many_swarms_stay_under_the_silo_cap_evicting_the_oldest_swarms()
    {
        await using var cluster = await GrainTestCluster.StartAsync(o =>
        {
            o.MaxPeersPerSilo = PeerCap;
            o.MaxPeersPerSwarm = 10;
        });
        var cap = cluster.SiloService<SiloSwarms>();
        var tick = TimeSpan.FromMilliseconds(1);

        // A swarm with a completed download among the first: evicted early, its count kept.
        var finished = await FinishedSwarm.CreateAsync(cluster);

        var hashes = new InfoHash[Swarms];
        for (var i = 0; i < Swarms; i++)
        {
            hashes[i] = Announces.NewHash();
            for (var p = 0; p < PeersEach; p++)
            {
                cluster.Clock.Advance(tick);
                await cluster.Torrent(hashes[i]).Announce(Announces.Request(Announces.NewPeer(), Announces.At("107.107.107.107", (ushort)(0x7000 + p)), AnnounceEvent.Started));
            }
        }

        // 601 peers were announced: the silo settles at or under the cap, by whole swarms gone.
        await Eventually.Until(() => Task.FromResult((cap.Peers, cap.Evicted)), c => c.Peers <= PeerCap && c.Evicted > 0,
            $"at most {PeerCap} peers on the silo and some swarms evicted");
        // Every swarm still here holds what it was given; peers leave only with their swarm.
        var held = 0;
        foreach (var hash in hashes)
        {
            if (await cluster.ActivationsOfAsync(hash) == 1)
                held += (await cluster.Torrent(hash).Scrape()).Leechers;
        }
        Assert.Equal(cap.Peers, held);
        Assert.Equal(Swarms + 1 - cap.Count, cap.Evicted);
        // The oldest swarms went, the newest stayed.
        Assert.Equal(0, await cluster.ActivationsOfAsync(hashes[0]));
        Assert.Equal(1, await cluster.ActivationsOfAsync(hashes[^1]));
        Assert.Equal(PeersEach, (await cluster.Torrent(hashes[^1]).Scrape()).Leechers);

        // The completed count was saved before its swarm left and is read back on its return.
        await FinishedSwarm.AssertEvictedWithItsCountKeptAsync(cluster, finished);
    }

    [Fact]
    public async Task peers_leaving_by_stopped_events_and_timeouts_are_taken_off_the_silo_count()
    {
        await using var cluster = await GrainTestCluster.StartAsync(o => o.MaxPeersPerSilo = PeerCap);
        var cap = cluster.SiloService<SiloSwarms>();
        var hash = Announces.NewHash();
        var peers = Enumerable.Range(0, 10).Select(_ => Announces.NewPeer()).ToArray();
        foreach (var peer in peers)
            await cluster.Torrent(hash).Announce(Announces.Request(peer, Announces.At("105.105.105.105", 0x7070), AnnounceEvent.Started));
        Assert.Equal(10, cap.Peers);

        await cluster.Torrent(hash).Announce(Announces.Request(peers[0], Announces.At("105.105.105.105", 0x7070), AnnounceEvent.Stopped));
        Assert.Equal(9, cap.Peers);

        // Past peer_timeout a sweep drops the rest, and the swarm leaves memory.
        cluster.Clock.Advance(cluster.Options.PeerTimeout + TimeSpan.FromSeconds(1));
        await cluster.PartitionOf(hash).SweepNow();
        await Eventually.Until(() => Task.FromResult((cap.Peers, cap.Count)), c => c == (0, 0), "no peers and no swarm left on the silo");
        Assert.Equal(0, cap.Evicted);
    }
}
