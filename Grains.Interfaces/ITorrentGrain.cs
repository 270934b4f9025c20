using Orleans;
using Orleans.Concurrency;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// One torrent's swarm. The grain key is the info hash in lower-case hex
/// (<see cref="TorrentKeys.For(InfoHash)"/>). One announce is one call.
/// </summary>
public interface ITorrentGrain : IGrainWithStringKey
{
    ValueTask<AnnounceResult> Announce(AnnounceRequest request);

    [ReadOnly]
    ValueTask<SwarmCounts> Scrape();

    /// <summary>Counts and every live peer, for the admin API. Leaves no activation behind for an unknown torrent.</summary>
    [ReadOnly]
    ValueTask<TorrentDetails> Details();

    /// <summary>
    /// Called by the torrent's sweep partition on each reminder tick: drops expired peers and, when
    /// the swarm is empty and cleanup_peerless is on, lets the grain deactivate.
    /// </summary>
    ValueTask<SweepReport> Sweep();

    /// <summary>
    /// Called by the silo's partition watch when the torrent's sweep partition has a new activation
    /// that does not know this swarm: registers again with the current counts, and reports an
    /// unsaved completed count again so the new activation flushes it.
    /// </summary>
    ValueTask Rejoin();

    /// <summary>
    /// Writes the completed count to storage if it changed since the last write. Called by the
    /// partition at persistence_interval for the swarms that reported a change; returns false
    /// when the write failed (the partition retries on its next tick). Interleaves with the other
    /// calls so that a slow or hanging database write (a locked SQLite file, an unreachable
    /// server) never holds up the torrent's announces; the grain runs one write at a time.
    /// </summary>
    [AlwaysInterleave]
    ValueTask<bool> Flush();

    /// <summary>
    /// Takes a completed count from another tracker's database (import): the count becomes the
    /// larger of the two, is written to storage before the call returns, and the result is
    /// returned. Throws when the write fails.
    /// </summary>
    ValueTask<long> ImportCompleted(long completed);

    /// <summary>
    /// Asked by the silo's swarm cap (max_swarms_per_silo): leave memory unless announced after
    /// <paramref name="lastAnnounceUtcTicks"/> (it became busy since it was picked). The completed
    /// count is saved first; if that fails the swarm stays. True when it is leaving.
    /// </summary>
    ValueTask<bool> Evict(long lastAnnounceUtcTicks);
}

/// <summary>What a sweep left behind.</summary>
/// <param name="Counts">The swarm's counts after the sweep.</param>
/// <param name="Removed">True when the swarm dropped itself from memory and from its partition.</param>
[GenerateSerializer, Immutable]
public readonly record struct SweepReport(
    [property: Id(0)] SwarmCounts Counts,
    [property: Id(1)] int ExpiredPeers,
    [property: Id(2)] bool Removed);

public static class TorrentKeys
{
    public static string For(InfoHash hash) => hash.ToHex();
}
