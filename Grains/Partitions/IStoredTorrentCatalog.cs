using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// The completed counts the database holds, so the torrent list includes torrents that are not in
/// memory. Registered by the silo when persistence is on; without it the partitions list only what
/// they saw in this process.
/// </summary>
public interface IStoredTorrentCatalog
{
    /// <summary>
    /// The stored torrents with a completed count above zero whose hash maps to
    /// <paramref name="partition"/>, most recently written first, at most about
    /// <paramref name="limit"/> (the catalog reads the newest limit × 16 rows of all partitions).
    /// </summary>
    Task<IReadOnlyList<(InfoHash Hash, long Completed)>> ReadPartition(int partition, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="add"/> (from any thread) for every stored torrent whose hash maps to
    /// <paramref name="partition"/>, whatever its count: the rows as they are at some moment after
    /// this call. Streams, holding no list of them.
    /// </summary>
    Task ForEachStored(int partition, Action<InfoHash> add, CancellationToken cancellationToken);
}
