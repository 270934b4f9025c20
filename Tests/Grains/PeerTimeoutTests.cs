using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

public sealed class PeerTimeoutTests
{
    [Fact]
    public async Task the_partition_reminder_times_out_peers_and_drops_the_peerless_swarm()
    {
        await using var cluster = await GrainTestCluster.StartAsync(o => o.CleanupPeerless = true);
        var hash = NewHash();
        var grain = cluster.Torrent(hash);
        var partition = cluster.PartitionOf(hash);
        await partition.EnsureReminder();

        await grain.Announce(Request(NewPeer(), At("105.105.105.105", 0x7070), AnnounceEvent.Started));
        await grain.Announce(Request(NewPeer(), At("106.106.106.106", 0x7070), AnnounceEvent.Started, left: 0));
        await Eventually.Equal(1, partition.RegisteredCount, "the swarm registered");

        // Ticks before the timeout leave the peers alone.
        cluster.Clock.Advance(cluster.Options.PeerTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(new SwarmCounts(1, 1, 0), await grain.Scrape());

        cluster.Clock.Advance(TimeSpan.FromSeconds(2));
        // No SweepNow here: only the reminder's tick can unregister the swarm.
        await Eventually.Equal(0, partition.RegisteredCount, "the swarm unregistered by a reminder tick");
        await Eventually.Equal(0, () => cluster.ActivationsOfAsync(hash), "activations of the swept swarm");
        Assert.Equal(new SwarmCounts(0, 0, 0), await grain.Scrape());

        // The torrent comes back: the new activation registers again and the reminder covers it.
        await grain.Announce(Request(NewPeer(), At("107.107.107.107", 0x7070), AnnounceEvent.Started));
        await Eventually.Equal(1, partition.RegisteredCount, "the returning swarm registered again");
    }

    [Fact]
    public async Task without_cleanup_peerless_a_timed_out_swarm_stays_registered()
    {
        await using var cluster = await GrainTestCluster.StartAsync(o => o.CleanupPeerless = false);
        var hash = NewHash();
        var grain = cluster.Torrent(hash);
        var partition = cluster.PartitionOf(hash);

        await grain.Announce(Request(NewPeer(), At("105.105.105.105", 0x7070), AnnounceEvent.Started));
        await Eventually.Equal(1, partition.RegisteredCount, "the swarm registered");

        cluster.Clock.Advance(cluster.Options.PeerTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await partition.SweepNow());

        Assert.Equal(new SwarmCounts(0, 0, 0), await grain.Scrape());
        Assert.Equal(1, await partition.RegisteredCount());
        Assert.Equal(1, await cluster.ActivationsOfAsync(hash));

        // A later sweep finds nothing to expire and still keeps it.
        Assert.Equal(0, await partition.SweepNow());
        Assert.Equal(1, await partition.RegisteredCount());
    }

    [Fact]
    public async Task scrape_does_not_count_peers_past_their_timeout_between_sweeps()
    {
        // No reminder in this cluster: only the grain itself can notice the expiry.
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var grain = cluster.Torrent(hash);
        await grain.Announce(Request(NewPeer(), At("105.105.105.105", 0x7070), AnnounceEvent.Started));
        await grain.Announce(Request(NewPeer(), At("106.106.106.106", 0x7070), AnnounceEvent.Started, left: 0));
        Assert.Equal(new SwarmCounts(1, 1, 0), await grain.Scrape());

        cluster.Clock.Advance(cluster.Options.PeerTimeout + TimeSpan.FromSeconds(1));

        Assert.Equal(new SwarmCounts(0, 0, 0), await grain.Scrape());
        var announce = await grain.Announce(Request(NewPeer(), At("107.107.107.107", 0x7070), AnnounceEvent.Started));
        Assert.Equal((0, 1), (announce.Seeders, announce.Leechers));
        Assert.Empty(announce.Peers4);
    }
}
