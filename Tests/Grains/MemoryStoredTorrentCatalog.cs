using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// The database's list of stored torrents for a silo with memory storage: the hashes a test stored
/// before the silo started (the real catalog reads OrleansStorage; it is tested against SQLite in
/// <c>StoredCountFilterClusterTests</c>).
/// </summary>
internal sealed class MemoryStoredTorrentCatalog(IReadOnlyDictionary<InfoHash, long> stored) : IStoredTorrentCatalog
{
    public Task<IReadOnlyList<(InfoHash Hash, long Completed)>> ReadPartition(int partition, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(InfoHash, long)>>(stored.Where(s => SweepPartitions.For(s.Key) == partition).Select(s => (s.Key, s.Value)).Take(limit).ToList());

    public Task ForEachStored(int partition, Action<InfoHash> add, CancellationToken cancellationToken)
    {
        foreach (var hash in stored.Keys.Where(h => SweepPartitions.For(h) == partition))
            add(hash);
        return Task.CompletedTask;
    }
}
