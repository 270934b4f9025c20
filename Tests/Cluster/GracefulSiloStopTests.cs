using System.Diagnostics;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Persistence;
using Xunit;
using Xunit.Abstractions;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// A silo stopped gracefully (as SIGTERM) while peers keep announcing through the other two: its
/// torrents write their completed counts as they deactivate, so nothing is lost, and the swarms
/// re-form on the survivors from the next announces.
/// </summary>
public sealed class GracefulSiloStopTests(ITestOutputHelper output) : IDisposable
{
    private const int Torrents = 24;
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(5);
    private readonly SqliteEngine _sqlite = new();

    private sealed record Torrent(InfoHash Hash, Peer[] Peers);

    private sealed record Peer(PeerId Id, PeerEndpoint Endpoint, long Left);

    [Fact]
    public async Task a_silo_stopped_gracefully_during_announces_loses_no_completed_count()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync(o =>
        {
            o.PeerTimeout = TimeSpan.FromMinutes(2);
            o.CleanupInterval = TimeSpan.FromSeconds(1);
            // Only deactivations write: a count that reached storage went there on the stop.
            o.PersistenceInterval = TimeSpan.FromMinutes(10);
        }, _sqlite.NewDatabase());
        var gateways = cluster.Silos.Select(ThreeSiloCluster.GatewayOf).ToArray();
        var leaving = cluster.Silos[1];
        var survivors = new[] { gateways[0], gateways[2] };

        // The stop moves a sweep partition too: its new activation must get its swarms back.
        var movedPartition = await cluster.PartitionOnAsync(leaving);

        // Each torrent: a seeder, a peer that completes, a leecher, announcing through every silo;
        // every third torrent placed on the silo that will stop.
        var torrents = Enumerable.Range(0, Torrents).Select(_ => new Torrent(NewHash(),
        [
            new Peer(NewPeer(), At("105.105.105.1", 0x7070), 0),
            new Peer(NewPeer(), At("105.105.105.2", 0x7070), 0),
            new Peer(NewPeer(), At("105.105.105.3", 0x7070), 500),
        ])).ToArray();
        for (var t = 0; t < torrents.Length; t++)
        {
            var (hash, peers) = (torrents[t].Hash, torrents[t].Peers);
            var home = cluster.Silos[t % cluster.Silos.Count];
            await ThreeSiloCluster.PlacingOn(home, () => gateways[t % 3].Announce(hash, Request(peers[0].Id, peers[0].Endpoint, AnnounceEvent.Started, left: 0)).AsTask());
            await gateways[(t + 1) % 3].Announce(hash, Request(peers[1].Id, peers[1].Endpoint, AnnounceEvent.Started, left: 1000));
            await gateways[(t + 2) % 3].Announce(hash, Request(peers[1].Id, peers[1].Endpoint, AnnounceEvent.Completed, left: 0));
            await gateways[t % 3].Announce(hash, Request(peers[2].Id, peers[2].Endpoint, AnnounceEvent.Started, left: 500));
        }
        var hosts = await Task.WhenAll(torrents.Select(t => cluster.HostOfAsync(t.Hash)));
        var moving = torrents.Where((_, i) => leaving.SiloAddress.Equals(hosts[i])).ToArray();
        Assert.Equal(Torrents / 3, moving.Length);

        // Peers keep re-announcing through the two other silos while silo 1 stops.
        using var stopAnnouncing = new CancellationTokenSource();
        var announcing = Task.Run(() => ReannounceUntil(survivors, torrents, stopAnnouncing.Token));
        var stopping = Stopwatch.StartNew();
        await cluster.StopAsync(leaving);
        await stopAnnouncing.CancelAsync();
        var (answered, slowest) = await announcing;
        output.WriteLine($"{moving.Length} of {Torrents} torrents and partition {movedPartition} moved; the stop took {stopping.Elapsed.TotalMilliseconds:F0} ms; {answered} announces answered meanwhile, slowest {slowest.TotalMilliseconds:F0} ms");

        // The moved torrents wrote their counts as they deactivated.
        foreach (var torrent in moving)
            Assert.Equal(1L, await cluster.StoredCompletedAsync(torrent.Hash));

        // Every peer announces once more (its next interval): every swarm is whole, counts exact.
        foreach (var torrent in torrents)
        {
            AnnounceResult? last = null;
            foreach (var peer in torrent.Peers)
                last = await survivors[0].Announce(torrent.Hash, Request(peer.Id, peer.Endpoint, left: peer.Left)).AsTask().WaitAsync(AnswerBound);
            Assert.Equal((2, 1, 1L), (last!.Seeders, last.Leechers, last.Completed));
        }
        await Eventually.Equal(new SwarmTotals(Torrents, 2 * Torrents, Torrents, Torrents), () => TotalsAsync(cluster), "the statistics over all partitions");
    }

    /// <summary>
    /// Re-announces every peer, round after round, alternating the two gateways. An announce that
    /// fails (its torrent's silo is stopping) is retried, and must be answered within 5 s.
    /// </summary>
    private static async Task<(int Answered, TimeSpan Slowest)> ReannounceUntil(ITorrentCalls[] gateways, Torrent[] torrents, CancellationToken stop)
    {
        var answered = 0;
        var slowest = TimeSpan.Zero;
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            foreach (var torrent in torrents)
            {
                foreach (var peer in torrent.Peers)
                {
                    var clock = Stopwatch.StartNew();
                    await AnswerWithin(gateways[(round + answered) % gateways.Length], torrent.Hash, peer, clock);
                    answered++;
                    slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
                }
            }
        }
        return (answered, slowest);
    }

    private static async Task AnswerWithin(ITorrentCalls gateway, InfoHash hash, Peer peer, Stopwatch clock)
    {
        while (true)
        {
            var left = AnswerBound - clock.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"an announce for {hash} was not answered within {AnswerBound.TotalSeconds:0} s");
            try
            {
                await gateway.Announce(hash, Request(peer.Id, peer.Endpoint, left: peer.Left)).AsTask().WaitAsync(left);
                return;
            }
            catch (Exception e) when (e is not TimeoutException)
            {
                await Task.Delay(50);   // backs off the announce loop after a refused call (not a wait)
            }
        }
    }

    private static async Task<SwarmTotals> TotalsAsync(ThreeSiloCluster cluster)
    {
        var all = await Task.WhenAll(Enumerable.Range(0, SweepPartitions.Count)
            .Select(i => cluster.Client.GetGrain<ISweepPartitionGrain>(i).Totals()));
        return all.Aggregate(default(SwarmTotals), (sum, t) => sum.Plus(t));
    }

    public void Dispose() => _sqlite.Dispose();
}
