using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Cluster;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;

namespace OrleansTracker.Tests.Routing;

/// <summary>
/// Announces that cross silos in batches, on three real silos in one process: they land on the
/// torrent's owner, take one message per owner, and a wrong owner guess still reaches the torrent.
/// </summary>
public sealed class RoutedAnnounceTests
{
    private const int Torrents = 30;

    [Fact]
    public async Task remote_announces_of_one_receive_batch_take_one_message_per_owner_and_land_where_the_ring_says()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync();
        var endpoints = cluster.Silos.Select(RoutedFrontend.EndpointOf).ToArray();
        var frontend = new RoutedFrontend(cluster.Silos[0], endpoints);
        var ring = RoutedFrontend.Ring(endpoints);
        var hashes = Enumerable.Range(0, Torrents).Select(_ => NewHash()).ToArray();

        var answers = await Task.WhenAll(RoutedFrontend.InOneReceiveBatch(Torrents, i =>
            frontend.Calls.Announce(hashes[i], Request(NewPeer(), At("105.105.105.1", (ushort)(7000 + i)), AnnounceEvent.Started))));

        Assert.All(answers, a => Assert.Equal((0, 1), (a.Seeders, a.Leechers)));
        var remoteOwners = hashes.Select(ring.Owner).Where(o => o != endpoints[0]).ToArray();
        var counts = frontend.Counters.Snapshot();
        Assert.Equal((Torrents - remoteOwners.Length, (long)remoteOwners.Length), (counts.AnnouncesLocal, counts.AnnouncesRemote));
        Assert.Equal(remoteOwners.Distinct().Count(), counts.RemoteBatches);
        Assert.Equal(remoteOwners.Length, counts.AnnouncesBatched);
        // The placement director and the frontend read the same ring: each torrent lives on its owner.
        foreach (var hash in hashes)
            Assert.Equal(ring.Owner(hash), (await cluster.HostOfAsync(hash))?.Endpoint.ToString());
    }

    [Fact]
    public async Task announces_arriving_one_by_one_as_over_http_are_batched_too_and_answered_right()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync();
        var endpoints = cluster.Silos.Select(RoutedFrontend.EndpointOf).ToArray();
        var frontend = new RoutedFrontend(cluster.Silos[0], endpoints);
        var hashes = Enumerable.Range(0, Torrents).Select(_ => NewHash()).ToArray();

        // No receive batch is open: each remote announce's queue is flushed from the thread pool.
        var answers = await Task.WhenAll(hashes.Select((hash, i) => Task.Run(() =>
            frontend.Calls.Announce(hash, Request(NewPeer(), At("105.105.105.1", (ushort)(7000 + i)), AnnounceEvent.Started)).AsTask())));

        Assert.All(answers, a => Assert.Equal((0, 1), (a.Seeders, a.Leechers)));
        var counts = frontend.Counters.Snapshot();
        Assert.Equal(Torrents, counts.AnnouncesLocal + counts.AnnouncesRemote);
        Assert.Equal(counts.AnnouncesRemote, counts.AnnouncesBatched);
        Assert.InRange(counts.RemoteBatches, 1, counts.AnnouncesRemote);
    }

    [Fact]
    public async Task a_wrong_owner_guess_is_answered_by_the_torrent_where_it_really_lives()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync();
        var (front, middle, holder) = (cluster.Silos[0], cluster.Silos[1], cluster.Silos[2]);
        // Swarms placed on the third silo, each with one peer.
        var hashes = Enumerable.Range(0, Torrents).Select(_ => NewHash()).ToArray();
        foreach (var hash in hashes)
            await ThreeSiloCluster.PlacingOn(holder, () => ThreeSiloCluster.GatewayOf(holder)
                .Announce(hash, Request(NewPeer(), At("105.105.105.2", 0x7070), AnnounceEvent.Started)).AsTask());
        // A stale view: the holder is unknown, and one "silo" is long gone (its router activates
        // wherever the call is placed). Every guess is wrong; every answer must still be right.
        var stale = new[] { RoutedFrontend.EndpointOf(front), RoutedFrontend.EndpointOf(middle), "127.0.0.1:1" };
        var frontend = new RoutedFrontend(front, stale);

        var answers = await Task.WhenAll(RoutedFrontend.InOneReceiveBatch(Torrents, i =>
            frontend.Calls.Announce(hashes[i], Request(NewPeer(), At("105.105.105.3", (ushort)(7000 + i)), AnnounceEvent.Started))));

        Assert.All(answers, a => Assert.Equal(2, a.Leechers));
        Assert.True(frontend.Counters.Snapshot().AnnouncesBatched > 0, "some guesses went to a remote router");
        foreach (var hash in hashes)
            Assert.Equal(holder.SiloAddress, await cluster.HostOfAsync(hash));
    }

    [Fact]
    public async Task with_batching_off_remote_announces_are_counted_but_sent_one_by_one()
    {
        await using var cluster = await ThreeSiloCluster.StartAsync();
        var endpoints = cluster.Silos.Select(RoutedFrontend.EndpointOf).ToArray();
        var frontend = new RoutedFrontend(cluster.Silos[0], endpoints, batch: false);
        var hashes = Enumerable.Range(0, Torrents).Select(_ => NewHash()).ToArray();

        var answers = await Task.WhenAll(RoutedFrontend.InOneReceiveBatch(Torrents, i =>
            frontend.Calls.Announce(hashes[i], Request(NewPeer(), At("105.105.105.1", (ushort)(7000 + i)), AnnounceEvent.Started))));

        Assert.All(answers, a => Assert.Equal(1, a.Leechers));
        var counts = frontend.Counters.Snapshot();
        Assert.Equal(Torrents, counts.AnnouncesLocal + counts.AnnouncesRemote);
        Assert.True(counts.AnnouncesRemote > 0);
        Assert.Equal((0L, 0L), (counts.RemoteBatches, counts.AnnouncesBatched));
    }
}
