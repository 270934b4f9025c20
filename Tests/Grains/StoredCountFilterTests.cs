using Microsoft.Extensions.DependencyInjection;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// A torrent activation skips its database read when its sweep partition knows the hash was never
/// stored (a scrape of a random hash), and only then. The storage is the silo's memory storage
/// with a read counter in front; the partitions' list of stored torrents comes from a catalog
/// double holding what the test stored before start.
/// </summary>
public sealed class StoredCountFilterTests
{
    [Fact]
    public async Task scrapes_of_hashes_never_stored_read_nothing_and_a_stored_one_is_read()
    {
        var stored = NewHash();
        await using var cluster = await StartAsync(new Dictionary<InfoHash, long> { [stored] = 7 });
        await cluster.StoreStateAsync(stored, 7);
        await PartitionsKnowTheStoredTorrents(cluster);
        var reads = cluster.SiloService<CountingGrainStorage>();
        var before = reads.Reads;

        foreach (var hash in Enumerable.Range(0, 300).Select(_ => NewHash()))
            Assert.Equal(SwarmCounts.Empty, await cluster.Torrent(hash).Scrape());

        Assert.Equal(before, reads.Reads);
        Assert.Equal(new SwarmCounts(0, 0, 7), await cluster.Torrent(stored).Scrape());
        Assert.Equal(before + 1, reads.Reads);
    }

    [Fact]
    public async Task a_count_first_stored_after_the_partition_loaded_is_read_by_the_next_activation()
    {
        await using var cluster = await StartAsync(new Dictionary<InfoHash, long>());
        await PartitionsKnowTheStoredTorrents(cluster);
        var hash = NewHash();
        var partition = cluster.PartitionOf(hash);
        Assert.False(await partition.MayBeStored(hash));
        var (peer, at) = (NewPeer(), At("105.105.105.105", 0x7070));
        await cluster.Torrent(hash).Announce(Request(peer, at, AnnounceEvent.Started));
        await cluster.Torrent(hash).Announce(Request(peer, at, AnnounceEvent.Completed, left: 0));
        await cluster.Torrent(hash).Announce(Request(peer, at, AnnounceEvent.Stopped, left: 0));

        await Eventually.Until(async () => { await partition.SweepNow(); return await cluster.ActivationsOfAsync(hash); }, n => n == 0, "the swept swarm saved and gone");

        Assert.True(await partition.MayBeStored(hash));
        Assert.Equal(new SwarmCounts(0, 0, 1), await cluster.Torrent(hash).Scrape());
    }

    [Fact]
    public async Task an_activation_that_skipped_the_read_merges_a_row_it_did_not_know_of_before_writing()
    {
        // The catalog misses a row (as a scan that raced a write could): the count is not lost.
        var hash = NewHash();
        await using var cluster = await StartAsync(new Dictionary<InfoHash, long>());
        await cluster.StoreStateAsync(hash, 5);
        await PartitionsKnowTheStoredTorrents(cluster);
        var (peer, at) = (NewPeer(), At("105.105.105.105", 0x7070));
        await cluster.Torrent(hash).Announce(Request(peer, at, AnnounceEvent.Started));
        await cluster.Torrent(hash).Announce(Request(peer, at, AnnounceEvent.Completed, left: 0));

        Assert.True(await cluster.Torrent(hash).Flush());

        Assert.Equal((true, 6L), await cluster.StoredStateAsync(hash));
        Assert.Equal(new SwarmCounts(1, 0, 6), await cluster.Torrent(hash).Scrape());
    }

    [Fact]
    public async Task until_the_partition_has_read_the_stored_torrents_every_activation_reads()
    {
        await using var cluster = await StartAsync(new Dictionary<InfoHash, long>(), TimeSpan.FromHours(1));
        var reads = cluster.SiloService<CountingGrainStorage>();
        var before = reads.Reads;

        foreach (var hash in Enumerable.Range(0, 20).Select(_ => NewHash()))
            await cluster.Torrent(hash).Scrape();

        Assert.Equal(before + 20, reads.Reads);
    }

    private static Task<GrainTestCluster> StartAsync(Dictionary<InfoHash, long> stored, TimeSpan? delay = null) =>
        GrainTestCluster.StartAsync(
            o => o.StoredFilterDelay = delay ?? TimeSpan.Zero,
            silo =>
            {
                silo.Services.AddSingleton<IStoredTorrentCatalog>(new MemoryStoredTorrentCatalog(stored));
                CountingGrainStorage.Wrap(silo);
            });

    /// <summary>Waits until every partition answers "not stored" for a hash of its own that nobody stored.</summary>
    private static async Task PartitionsKnowTheStoredTorrents(GrainTestCluster cluster)
    {
        for (var p = 0; p < SweepPartitions.Count; p++)
        {
            var probe = NewHash();
            while (SweepPartitions.For(probe) != p)
                probe = NewHash();
            await Eventually.Until(() => cluster.PartitionOf(probe).MayBeStored(probe), may => !may, $"partition {p} knowing its stored torrents");
        }
    }
}
