using OrleansTracker.Grains.Interfaces;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

public sealed class TorrentGrainAnnounceTests
{
    [Fact]
    public async Task announce_returns_counts_and_two_peers_of_one_swarm_see_each_other()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var grain = cluster.Torrent(NewHash());
        var leecher = At("105.105.105.105", 0x7070);
        var seeder = At("115.115.115.115", 0x7171);

        var leecherId = NewPeer();
        var seederId = NewPeer();
        var first = await grain.Announce(Request(leecherId, leecher, AnnounceEvent.Started));
        Assert.Equal((0, 1, 0L), (first.Seeders, first.Leechers, first.Completed));
        Assert.Empty(first.Peers4);
        Assert.Empty(first.Peers6);

        var second = await grain.Announce(Request(seederId, seeder, AnnounceEvent.Started, left: 0));
        Assert.Equal((1, 1, 0L), (second.Seeders, second.Leechers, second.Completed));
        Assert.Contains(Compact(leecher), Chunks(second.Peers4, PeerEndpoint.CompactIPv4Length));
        Assert.DoesNotContain(Compact(seeder), Chunks(second.Peers4, PeerEndpoint.CompactIPv4Length));

        var again = await grain.Announce(Request(leecherId, leecher));
        Assert.Contains(Compact(seeder), Chunks(again.Peers4, PeerEndpoint.CompactIPv4Length));
        Assert.DoesNotContain(Compact(leecher), Chunks(again.Peers4, PeerEndpoint.CompactIPv4Length));
    }

    [Fact]
    public async Task two_peers_in_one_grain_get_exactly_each_other()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var grain = cluster.Torrent(NewHash());
        var a = At("105.105.105.105", 0x7070);
        var b = At("106.106.106.106", 0x7171);

        var fromA = await grain.Announce(Request(NewPeer(), a, AnnounceEvent.Started));
        var fromB = await grain.Announce(Request(NewPeer(), b, AnnounceEvent.Started, left: 0));

        Assert.Empty(fromA.Peers4);
        Assert.Equal(Compact(a), fromB.Peers4);
        Assert.Equal((1, 1), (fromB.Seeders, fromB.Leechers));
        Assert.Equal(new SwarmCounts(1, 1, 0), await grain.Scrape());
    }

    [Fact]
    public async Task ipv6_peers_come_back_in_peers6()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var grain = cluster.Torrent(NewHash());
        var v6 = At("2001:db8::6969", 0x7070);
        var v4 = At("105.105.105.105", 0x7171);

        await grain.Announce(Request(NewPeer(), v6, AnnounceEvent.Started));
        var both = await grain.Announce(Request(NewPeer(), v4, AnnounceEvent.Started, families: PeerFamilies.Both));
        var onlyV4 = await grain.Announce(Request(NewPeer(), At("107.107.107.107", 1), families: PeerFamilies.IPv4));

        Assert.Equal(PeerEndpoint.CompactIPv6Length, Compact(v6).Length);
        Assert.Equal(Compact(v6), both.Peers6);
        Assert.Empty(both.Peers4);
        Assert.Empty(onlyV4.Peers6);
        Assert.Equal(Compact(v4), onlyV4.Peers4);
    }

    [Fact]
    public async Task a_swarm_registers_with_its_partition_on_its_first_peer()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var hash = NewHash();
        var partition = cluster.PartitionOf(hash);
        Assert.Equal(0, await partition.RegisteredCount());

        await cluster.Torrent(hash).Scrape();
        Assert.Equal(0, await partition.RegisteredCount());

        await cluster.Torrent(hash).Announce(Request(NewPeer(), At("105.105.105.105", 0x7070), AnnounceEvent.Started));
        await Eventually.Equal(1, partition.RegisteredCount, $"swarms registered with partition {SweepPartitions.For(hash)}");

        // A second peer keeps it at one registration.
        await cluster.Torrent(hash).Announce(Request(NewPeer(), At("106.106.106.106", 0x7070), AnnounceEvent.Started));
        Assert.Equal(1, await partition.RegisteredCount());
    }

    private static List<byte[]> Chunks(byte[] bytes, int size) => bytes.Chunk(size).ToList();
}
