using System.Diagnostics;
using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// Three silo processes and one frontend-only process on a private MariaDB (ADO.NET clustering),
/// driven over real UDP and HTTP sockets round-robin, then one silo is killed with SIGKILL.
/// </summary>
public sealed class MultiProcessClusterTests(ITestOutputHelper output) : IDisposable
{
    private const int Torrents = 24;
    private const int UdpStarted = 2;
    private const int UdpCompleted = 1;
    /// <summary>Every peer announced again through the survivors (after the failover bound held).</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);
    /// <summary>Issue 15's goal: the survivors answer every torrent within 5 s of a SIGKILL.</summary>
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FailoverWatchDeadline = TimeSpan.FromSeconds(20);

    private readonly MariaDbServer _database = new();

    public void Dispose() => _database.Dispose();

    [MariaDbFact]
    public async Task announces_through_any_node_meet_in_one_swarm_and_survive_a_killed_silo()
    {
        await using var cluster = new ProcessCluster(_database, output);
        await cluster.StartAsync(silos: 3, frontends: 1);
        output.WriteLine($"membership after start (port:status): {await cluster.MembershipAsync()}");
        var nodes = cluster.Nodes; // silo 0, silo 1, silo 2, frontend
        using var driver = new SwarmDriver();
        await driver.ShareConnectionIdFromAsync(nodes[0]);
        // Connect answered by silo 0, announce on silo 1: the cluster shares the connection-id key.
        Assert.Equal(new SwarmAnswer(0, 1), await driver.AnnounceSurelyAsync(nodes[1], overUdp: true, NewSwarm().LeecherA));

        // Four peers' announces per torrent, each through the next node and alternating UDP/HTTP:
        // the exact live counts in every answer show all nodes reach the same swarm.
        var swarms = Enumerable.Range(0, Torrents).Select(_ => NewSwarm()).ToArray();
        var turn = 0;
        foreach (var (seeder, leecherA, leecherB) in swarms)
        {
            Assert.Equal(new SwarmAnswer(1, 0), await Announce(seeder, UdpStarted));
            Assert.Equal(new SwarmAnswer(1, 1), await Announce(leecherA, UdpStarted));
            Assert.Equal(new SwarmAnswer(1, 2), await Announce(leecherB, UdpStarted));
            Assert.Equal(new SwarmAnswer(2, 1), await Announce(leecherA with { Left = 0 }, UdpCompleted));
        }
        output.WriteLine($"answers asked for again before the kill: {driver.LostAnswers}");
        var hashes = swarms.Select(s => s.Seeder.Hash).ToArray();
        foreach (var node in nodes)
            Assert.All(await driver.ScrapeAsync(node, hashes), counts => Assert.Equal((2, 1, 1), counts));

        // persistence_interval = 1: every completed count reaches the database within seconds.
        await Eventually.True(async () => await cluster.StoredTorrentCountAsync() == Torrents, "completed counts stored", TimeSpan.FromSeconds(20));

        // Kill the silo that holds the most torrents ("any silo" with adonet), so the failover is
        // exercised whatever Orleans' placement did; the survivors are the other two and the frontend.
        var victim = await SiloWithMostTorrentsAsync(nodes.Take(3).ToList());
        var survivors = nodes.Where(n => n != victim).ToArray();
        await driver.ShareConnectionIdFromAsync(survivors[0]);
        victim.Kill(); // SIGKILL: no handoff, no flush
        var clock = Stopwatch.StartNew();

        // Failover, measured from outside over UDP: every torrent answered again within 5 s of the
        // kill (docs/cluster.md; measured 1.6-2.0 s on the loaded 2-core build machine, Orleans'
        // default probing gave 11 s here).
        var windows = await new FailoverWatch(survivors, driver.SharedId).WindowsAsync(
            swarms.Select(s => s.Seeder).ToList(), clock, FailoverWatchDeadline);
        output.WriteLine($"unanswered window per torrent after the kill (s): {string.Join(" ", windows.Select(w => w?.TotalSeconds.ToString("F2") ?? "never"))}");
        Assert.All(windows, w => Assert.True(w is { } window && window <= FailoverBound,
            $"a torrent was unanswered for {(w is { } x ? x.TotalSeconds.ToString("F2") + " s" : "the whole watch")} after the kill; bound {FailoverBound.TotalSeconds} s"));
        var rounds = new List<string>();
        var lastFailure = TimeSpan.Zero;
        while (true)
        {
            // Every peer announces again (event none) through the survivors; swarms whose grain was
            // on the dead silo re-form from these announces.
            var failures = 0;
            foreach (var (seeder, leecherA, leecherB) in swarms)
            {
                foreach (var peer in new[] { seeder, leecherA with { Left = 0 }, leecherB })
                {
                    try
                    {
                        await driver.AnnounceAsync(survivors[turn % survivors.Length], turn / survivors.Length % 2 == 0, peer);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        failures++;
                        lastFailure = clock.Elapsed;
                    }
                    turn++;
                }
            }
            rounds.Add($"{clock.Elapsed.TotalSeconds:F1}s:{failures}");
            if (failures == 0)
                break;
            Assert.True(clock.Elapsed < RecoveryBound, $"announces still failing {clock.Elapsed} after the kill: {string.Join(" ", rounds)}");
        }
        output.WriteLine($"rounds after the kill (elapsed:failed announces of {3 * Torrents}): {string.Join(" ", rounds)}; "
            + $"last failed announce {lastFailure.TotalSeconds:F1} s after the kill");
        output.WriteLine($"membership after the kill: {await cluster.MembershipAsync()}");

        // Live counts re-formed exactly; completed counts came back from storage for moved swarms.
        foreach (var node in survivors)
            Assert.All(await driver.ScrapeAsync(node, hashes), counts => Assert.Equal((2, 1, 1), counts));

        // Node turn mod 4, and UDP or HTTP alternating with each pass over the nodes.
        Task<SwarmAnswer> Announce(ClusterPeer peer, int udpEvent)
        {
            var node = nodes[turn % nodes.Count];
            var overUdp = turn / nodes.Count % 2 == 0;
            turn++;
            return driver.AnnounceSurelyAsync(node, overUdp, peer, udpEvent);
        }
    }

    [MariaDbFact]
    public async Task a_silo_stopped_with_SIGTERM_hands_over_every_completed_count()
    {
        // persistence_interval = 600: no timer writes during the test, only deactivations do.
        await using var cluster = new ProcessCluster(_database, output, persistenceInterval: 600);
        await cluster.StartAsync(silos: 2, frontends: 0);
        var nodes = cluster.Nodes;
        using var driver = new SwarmDriver();
        await driver.ShareConnectionIdFromAsync(nodes[0]);
        var hashes = Enumerable.Range(0, 16).Select(_ => TestPeers.NewInfoHash()).ToArray();
        for (var t = 0; t < hashes.Length; t++)
        {
            var peer = new ClusterPeer(hashes[t], TestPeers.NewPeerId(), 6881, 1000);
            await driver.AnnounceSurelyAsync(nodes[t % 2], overUdp: true, peer, UdpStarted);
            Assert.Equal(new SwarmAnswer(1, 0), await driver.AnnounceSurelyAsync(nodes[(t + 1) % 2], overUdp: true, peer with { Left = 0 }, UdpCompleted));
        }
        Assert.Equal(0, await cluster.StoredTorrentCountAsync());

        Assert.Equal(0, await nodes[1].StopAsync(TimeSpan.FromSeconds(30)));

        // The stopped silo's torrents (and partitions) wrote their counts as they deactivated; those
        // torrents reactivate on silo 0 from the database (their peers are gone until they announce).
        var stored = await cluster.StoredTorrentCountAsync();
        output.WriteLine($"{stored} of {hashes.Length} completed counts were written during the shutdown");
        Assert.InRange(stored, 1, hashes.Length);
        var scrape = Stopwatch.StartNew();
        var counts = await driver.ScrapeSurelyAsync(nodes[0], hashes);
        output.WriteLine($"first scrape after the stop answered in {scrape.ElapsedMilliseconds} ms ({driver.LostAnswers} asked again)");
        Assert.All(counts, c => Assert.Equal(1, c.Completed));
    }

    private async Task<TrackerProcess> SiloWithMostTorrentsAsync(List<TrackerProcess> silos)
    {
        await using var client = await OutsideClient.ConnectAsync(silos[0].Ports.Gateway, "test-cluster");
        var bySilo = await client.TorrentActivationsBySiloPortAsync();
        output.WriteLine($"torrent activations by silo port: {string.Join(" ", bySilo.Select(p => $"{p.Key}:{p.Value}"))}");
        var victim = silos.MaxBy(s => bySilo.GetValueOrDefault(s.Ports.Silo))!;
        Assert.True(bySilo.GetValueOrDefault(victim.Ports.Silo) > 0, "no silo holds a torrent");
        return victim;
    }

    private static (ClusterPeer Seeder, ClusterPeer LeecherA, ClusterPeer LeecherB) NewSwarm()
    {
        var hash = TestPeers.NewInfoHash();
        return (new ClusterPeer(hash, TestPeers.NewPeerId(), 6881, 0),
            new ClusterPeer(hash, TestPeers.NewPeerId(), 6882, 1000),
            new ClusterPeer(hash, TestPeers.NewPeerId(), 6883, 1000));
    }
}
