using System.Diagnostics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.Routing;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// Batched announces between real silo processes (ADO.NET clustering on a private MariaDB), over
/// real UDP: a silo killed while batches to it are in flight, and a silo joining under load.
/// </summary>
public sealed class BatchedClusterTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>BEP 15's first retry: a client waits 15 s for an answer.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromSeconds(30);
    private const string Unavailable = "tracker temporarily unavailable";
    private const int PeersPerTorrent = 6;

    private readonly MariaDbServer _database = new();

    public void Dispose() => _database.Dispose();

    private sealed record Peer(byte[] Hash, byte[] Id, ushort Port);

    [MariaDbFact]
    public async Task a_silo_killed_mid_batch_leaves_no_announce_unanswered_and_counts_no_completed_twice()
    {
        await using var cluster = new ProcessCluster(_database, output);
        await cluster.StartAsync(silos: 3, frontends: 0);
        var (front, victim) = (cluster.Nodes[0], cluster.Nodes[2]);
        var ring = Ring(cluster.Nodes);
        // Torrents the victim owns: every announce for them through the front silo is batched to it.
        var hashes = HashesOwnedBy(ring, Endpoint(victim), 40);
        var peers = hashes.SelectMany((hash, t) => Enumerable.Range(0, PeersPerTorrent)
            .Select(i => new Peer(hash, TestPeers.NewPeerId(), (ushort)(10000 + t * PeersPerTorrent + i)))).ToArray();
        await using var client = new UdpBurstClient();
        await client.ConnectAsync(front.Ports.Udp, ClientTimeout);
        Assert.All(await AnnounceAll(client, front, peers, left: 100, udpEvent: 2), o => Assert.True(o.Answered, o.ToString()));

        // Half the peers complete, and the victim dies while their batches are out.
        var firstWave = peers.Where((_, i) => i % 2 == 0).ToArray();
        var completing = AnnounceAll(client, front, firstWave, left: 0, udpEvent: 1);
        victim.Kill();
        var clock = Stopwatch.StartNew();
        var outcomes = await completing;
        output.WriteLine($"wave at the kill: {outcomes.Count(o => o.Answered)} answered, {outcomes.Count(o => o.Error == Unavailable)} '{Unavailable}', "
            + $"{outcomes.Count(o => o.Unanswered)} unanswered, all settled {clock.Elapsed.TotalSeconds:F1} s after the kill");
        Assert.All(outcomes, o => Assert.True(o.Answered || o.Error == Unavailable, $"an announce of the batch ended as {o}"));

        // The survivors take the torrents over; every peer announces again (a client does, at its
        // next interval), the completed ones as seeders, without repeating their completed event.
        var wave = 0;
        while (true)
        {
            var again = await Task.WhenAll(peers.Select((p, i) => client.AnnounceAsync(front.Ports.Udp, p.Hash, p.Id, p.Port, i % 2 == 0 ? 0 : 100, 0, ClientTimeout)));
            wave++;
            if (again.All(o => o.Answered))
                break;
            Assert.All(again, o => Assert.True(o.Answered || o.Error == Unavailable, $"a re-announce ended as {o}"));
            Assert.True(clock.Elapsed < FailoverDeadline, $"re-announces still failing {clock.Elapsed} after the kill");
        }
        output.WriteLine($"every peer answered by the survivors {clock.Elapsed.TotalSeconds:F1} s after the kill ({wave} rounds)");

        // The other half completes through the new owners: every one is answered and counted.
        var secondWave = peers.Where((_, i) => i % 2 == 1).ToArray();
        Assert.All(await AnnounceAll(client, front, secondWave, left: 0, udpEvent: 1), o => Assert.True(o.Answered, o.ToString()));

        using var scraper = new UdpTrackerClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, cluster.Nodes[1].Ports.Udp));
        await scraper.ConnectAsync();
        var counts = await scraper.ScrapeAsync(hashes);
        // Each peer sent its completed event once: a count above the peers' can only be a double count.
        // The second wave's three are always there; the first wave's were counted on the victim
        // and are back if its last flush (persistence_interval = 1 s) stored them.
        Assert.All(counts, c => Assert.InRange(c.Completed, PeersPerTorrent / 2, PeersPerTorrent));
        output.WriteLine($"completed per torrent after the failover: {string.Join(" ", counts.Select(c => c.Completed))}");
    }

    [MariaDbFact]
    public async Task a_silo_joining_under_load_takes_new_torrents_and_no_announce_fails()
    {
        await using var cluster = new ProcessCluster(_database, output);
        await cluster.StartAsync(silos: 2, frontends: 0);
        var fronts = cluster.Nodes.ToArray();
        var peers = Enumerable.Range(0, 200).Select(i => new Peer(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), (ushort)(20000 + i))).ToArray();
        await using var client = new UdpBurstClient();
        await client.ConnectAsync(fronts[0].Ports.Udp, ClientTimeout);

        // Load: 32 announces in flight, split over the two silos, until stopped (at most 90 s).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var answered = 0L;
        var failed = new System.Collections.Concurrent.ConcurrentQueue<UdpOutcome>();
        var load = Enumerable.Range(0, 32).Select(worker => Task.Run(async () =>
        {
            for (var n = worker; !stop.IsCancellationRequested; n += 32)
            {
                var peer = peers[n % peers.Length];
                var outcome = await client.AnnounceAsync(fronts[n % 2].Ports.Udp, peer.Hash, peer.Id, peer.Port, 100, n < peers.Length ? 2 : 0, ClientTimeout);
                if (outcome.Answered)
                    Interlocked.Increment(ref answered);
                else
                    failed.Enqueue(outcome);
            }
        })).ToArray();

        await Eventually.Until(() => Task.FromResult(Interlocked.Read(ref answered)), n => n >= 2000, "the load running", TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        var before = Interlocked.Read(ref answered);
        var joined = await cluster.AddSiloAsync();
        output.WriteLine($"third silo serving {clock.Elapsed.TotalSeconds:F1} s after its start; {Interlocked.Read(ref answered) - before} announces answered meanwhile");

        // New torrents, announced through the first two silos: the newcomer owns about a third.
        var fresh = Enumerable.Range(0, 90).Select(i => new Peer(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), (ushort)(30000 + i))).ToArray();
        await Eventually.Until(async () =>
        {
            var outcomes = await Task.WhenAll(fresh.Select((p, i) => client.AnnounceAsync(fronts[i % 2].Ports.Udp, p.Hash, p.Id, p.Port, 100, 2, ClientTimeout)));
            Assert.All(outcomes, o => Assert.True(o.Answered, o.ToString()));
            await using var outside = await OutsideClient.ConnectAsync(fronts[0].Ports.Gateway, "test-cluster");
            return (await outside.TorrentActivationsBySiloPortAsync()).GetValueOrDefault(joined.Ports.Silo) > 0;
        }, placed => placed, "torrents on the joined silo", TimeSpan.FromSeconds(30));
        var during = Interlocked.Read(ref answered) - before;
        await stop.CancelAsync();
        await Task.WhenAll(load);
        output.WriteLine($"{during} announces answered from the join until the new silo held torrents ({clock.Elapsed.TotalSeconds:F1} s); failed: {failed.Count}");
        Assert.Empty(failed);
    }

    private static Task<UdpOutcome[]> AnnounceAll(UdpBurstClient client, TrackerProcess node, IEnumerable<Peer> peers, long left, int udpEvent) =>
        Task.WhenAll(peers.Select(p => client.AnnounceAsync(node.Ports.Udp, p.Hash, p.Id, p.Port, left, udpEvent, ClientTimeout)));

    private static string Endpoint(TrackerProcess silo) => $"127.0.0.1:{silo.Ports.Silo}";

    /// <summary>The ring the silos build (the same one their placement and frontends read).</summary>
    private static OwnerRing<string> Ring(IEnumerable<TrackerProcess> silos) => new(silos.Select(Endpoint).ToArray(), e => e);

    private static byte[][] HashesOwnedBy(OwnerRing<string> ring, string owner, int count)
    {
        var hashes = new List<byte[]>();
        while (hashes.Count < count)
        {
            var hash = TestPeers.NewInfoHash();
            if (ring.Owner(InfoHash.Read(hash)) == owner)
                hashes.Add(hash);
        }
        return [.. hashes];
    }
}
