using System.Diagnostics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Grains;
using Xunit;
using Xunit.Abstractions;
using static OrleansTracker.Tests.Grains.Announces;

namespace OrleansTracker.Tests.Cluster;

/// <summary>Three silos of one cluster, each with its own co-hosted frontend gateway.</summary>
public sealed class InProcessClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task announces_through_different_silos_meet_in_one_swarm()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync();
        var gateways = cluster.Silos.Select(ThreeSiloCluster.GatewayOf).ToArray();
        var hash = NewHash();

        var first = await gateways[0].Announce(hash, Request(NewPeer(), At("105.105.105.1", 0x7070), AnnounceEvent.Started, left: 0));
        var second = await gateways[1].Announce(hash, Request(NewPeer(), At("105.105.105.2", 0x7070), AnnounceEvent.Started));
        var third = await gateways[2].Announce(hash, Request(NewPeer(), At("105.105.105.3", 0x7070), AnnounceEvent.Started));

        Assert.Equal((1, 0), (first.Seeders, first.Leechers));
        Assert.Equal((1, 1), (second.Seeders, second.Leechers));
        Assert.Equal((1, 2), (third.Seeders, third.Leechers));
        Assert.Equal(2, third.Peers4.Length / 6); // the two other peers, whichever silo they came through
    }

    [Fact]
    public async Task every_silo_hands_out_the_same_connection_id_key()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync();

        var keys = await Task.WhenAll(cluster.Silos.Select(s =>
            ThreeSiloCluster.GrainsOf(s).GetGrain<IClusterSecretGrain>(0).ConnectionIdKey()));

        Assert.Equal(ClusterSecrets.ConnectionIdKeyLength, keys[0].Length);
        Assert.All(keys, key => Assert.Equal(keys[0], key));
    }

    [Fact]
    public async Task killing_the_silo_of_a_swarm_leaves_the_others_answering_and_the_swarm_re_forms()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync();
        var gateways = cluster.Silos.Select(ThreeSiloCluster.GatewayOf).ToArray();
        var primary = cluster.Silos[0].SiloAddress;

        // A torrent whose grain lives on a non-primary silo (the test host's membership needs the
        // primary): the first announce goes through silo 1 or 2 with a placement hint for it; the
        // other two through the remaining gateways.
        InfoHash hash = default;
        Orleans.Runtime.SiloAddress? host = null;
        var peers = new[] { NewPeer(), NewPeer(), NewPeer() };
        for (var attempt = 0; attempt < 30 && (host is null || host.Equals(primary)); attempt++)
        {
            hash = NewHash();
            for (var i = 0; i < peers.Length; i++)
            {
                var silo = (1 + attempt % 2 + i) % gateways.Length;
                var request = Request(peers[i], At($"105.105.105.{i + 1}", 0x7070), AnnounceEvent.Started, left: i == 0 ? 0 : 1000);
                await ThreeSiloCluster.PlacingOn(cluster.Silos[silo], () => gateways[silo].Announce(hash, request).AsTask());
            }
            host = await cluster.HostOfAsync(hash);
        }
        Assert.NotNull(host);
        Assert.NotEqual(primary, host);
        var victim = cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        var survivors = cluster.Silos.Where(s => s != victim).Select(ThreeSiloCluster.GatewayOf).ToArray();

        await cluster.KillAsync(victim);
        var clock = Stopwatch.StartNew();

        // The first announce after the kill must be answered within 5 s by a survivor.
        var answer = await survivors[0].Announce(hash, Request(peers[0], At("105.105.105.1", 0x7070), left: 0)).AsTask().WaitAsync(AnswerBound);
        output.WriteLine($"first answer {clock.Elapsed.TotalMilliseconds:F0} ms after the kill");
        Assert.Equal((1, 0), (answer.Seeders, answer.Leechers)); // the swarm starts again from this announce

        // Everyone announces again through the survivors: the swarm is whole again.
        await survivors[1].Announce(hash, Request(peers[1], At("105.105.105.2", 0x7070))).AsTask().WaitAsync(AnswerBound);
        var last = await survivors[0].Announce(hash, Request(peers[2], At("105.105.105.3", 0x7070))).AsTask().WaitAsync(AnswerBound);
        Assert.Equal((1, 2), (last.Seeders, last.Leechers));
    }
}
