using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// The completed counts the database holds, so the torrent list includes torrents that are not in
/// memory. Registered by the silo when persistence is on; without it the partitions list only what
/// they saw in this process.
/// </summary>
public interface IStoredTorrentCatalog
{
    /// <summary>Every stored torrent with a completed count above zero whose hash maps to <paramref name="partition"/>.</summary>
    Task<IReadOnlyList<(InfoHash Hash, long Completed)>> ReadPartition(int partition, CancellationToken cancellationToken);
}
