using System.Diagnostics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Persistence;
using Xunit;
using Xunit.Abstractions;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// A silo killed without warning (as kill -9) while it holds a sweep partition and swarms: the
/// partition and its reminder carry on on a survivor and get their swarms back, and the lost
/// swarms' completed counts come back from the shared database.
/// </summary>
public sealed class SiloKillTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PersistenceInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(5);
    private readonly SqliteEngine _sqlite = new();

    [Fact]
    public async Task after_a_kill_the_moved_partition_sweeps_the_surviving_swarms_and_lost_counts_come_back_from_storage()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync(o =>
        {
            o.PeerTimeout = PeerTimeout;
            o.CleanupInterval = TimeSpan.FromSeconds(1);
            o.PersistenceInterval = PersistenceInterval;
        }, _sqlite.NewDatabase());
        var victim = cluster.Silos[1];   // not the test host's primary, which holds its membership
        var survivors = cluster.Silos.Where(s => s != victim).ToArray();
        // Placed before the reminders exist: a reminder tick would activate it wherever it fires.
        var partitionKey = await cluster.PartitionOnAsync(victim);
        await Task.WhenAll(Enumerable.Range(0, SweepPartitions.Count)
            .Select(i => cluster.Client.GetGrain<ISweepPartitionGrain>(i).EnsureReminder()));

        // Four swarms of that partition on the survivors, one peer each, registered with the
        // partition's activation on the victim.
        var swarms = new List<InfoHash>();
        while (swarms.Count < 4)
        {
            var hash = NewHash();
            if (SweepPartitions.For(hash) != partitionKey)
                continue;
            var survivor = survivors[swarms.Count % survivors.Length];
            await ThreeSiloCluster.PlacingOn(survivor, () => ThreeSiloCluster.GatewayOf(survivor)
                .Announce(hash, Request(NewPeer(), At("105.105.105.1", 0x7070), AnnounceEvent.Started)).AsTask());
            Assert.Equal(survivor.SiloAddress, await cluster.HostOfAsync(hash));
            swarms.Add(hash);
        }

        // A swarm on the victim (of another partition) with two completed downloads, stored by the
        // partition's flush within a persistence interval.
        var lost = await SwarmOnAsync(cluster, victim, partitionKey);
        var storedAfter = Stopwatch.StartNew();
        await Eventually.Equal(2L, () => cluster.StoredCompletedAsync(lost), "the completed count stored", PersistenceInterval * 2 + TimeSpan.FromSeconds(3));
        output.WriteLine($"completed count stored {storedAfter.Elapsed.TotalMilliseconds:F0} ms after the last completed announce");

        var partition = ThreeSiloCluster.GrainsOf(survivors[0]).GetGrain<ISweepPartitionGrain>(partitionKey);
        Assert.True(await partition.RegisteredCount() >= swarms.Count);

        await cluster.KillAsync(victim);
        var sinceKill = Stopwatch.StartNew();

        // (1) The partition's new activation (on a survivor) knows the surviving swarms again...
        await Eventually.Equal(swarms.Count, partition.RegisteredCount, "the moved partition's swarms registered again", TimeSpan.FromSeconds(20));
        output.WriteLine($"moved partition knew its {swarms.Count} surviving swarms again {sinceKill.Elapsed.TotalMilliseconds:F0} ms after the kill");
        Assert.NotEqual(victim.SiloAddress, await cluster.HostOfAsync(partition));

        // ...and its reminder sweeps them: with no announce, the peers expire and the swarms leave
        // memory. Only a sweep deactivates them (idle collection would take PeerTimeout + 1 min).
        await Eventually.Until(() => HostsAsync(cluster, swarms), hosts => hosts.All(h => h is null), "the surviving swarms swept out of memory", PeerTimeout + TimeSpan.FromSeconds(20));
        output.WriteLine($"expired peers swept and the swarms gone {sinceKill.Elapsed.TotalMilliseconds:F0} ms after the kill (peer timeout {PeerTimeout.TotalSeconds:0} s)");
        await Eventually.Equal(default(SwarmTotals), partition.Totals, "the moved partition's totals");

        // (2) The lost swarm re-forms from the next announce, with its completed count from storage.
        var answer = await ThreeSiloCluster.GatewayOf(survivors[0])
            .Announce(lost, Request(NewPeer(), At("105.105.105.9", 0x7070), AnnounceEvent.Started)).AsTask().WaitAsync(AnswerBound);
        Assert.Equal((0, 1, 2L), (answer.Seeders, answer.Leechers, answer.Completed));
    }

    /// <summary>A torrent outside <paramref name="otherThan"/>'s bucket whose grain lives on <paramref name="silo"/>, with two completed downloads.</summary>
    private static async Task<InfoHash> SwarmOnAsync(ThreeSiloCluster cluster, Orleans.TestingHost.InProcessSiloHandle silo, long otherThan)
    {
        var gateway = ThreeSiloCluster.GatewayOf(silo);
        var hash = NewHash();
        while (SweepPartitions.For(hash) == otherThan)
            hash = NewHash();
        for (var i = 1; i <= 2; i++)
        {
            var peer = NewPeer();
            var endpoint = At($"105.105.105.{i + 1}", 0x7070);
            await ThreeSiloCluster.PlacingOn(silo, () => gateway.Announce(hash, Request(peer, endpoint, AnnounceEvent.Started)).AsTask());
            await gateway.Announce(hash, Request(peer, endpoint, AnnounceEvent.Completed, left: 0));
        }
        Assert.Equal(silo.SiloAddress, await cluster.HostOfAsync(hash));
        return hash;
    }

    private static Task<Orleans.Runtime.SiloAddress?[]> HostsAsync(ThreeSiloCluster cluster, IEnumerable<InfoHash> hashes) =>
        Task.WhenAll(hashes.Select(cluster.HostOfAsync));

    public void Dispose() => _sqlite.Dispose();
}
