namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// What this process's silo dropped to stay under its memory caps: swarms evicted by
/// <c>max_swarms_per_silo</c> or <c>max_peers_per_silo</c>, peers evicted by
/// <c>max_peers_per_swarm</c>, idle torrents dropped from the torrent list by
/// <c>max_idle_torrents_listed</c>. One per process, written by the grains and published by the
/// frontends' statistics with the request counters (a frontend-only process has all zeros).
/// </summary>
/// <remarks>
/// A mutable process service, not a message, so it is not in <c>Model</c>; it lives in this
/// assembly because both the grains and the frontends need it and the frontends must not depend
/// on the grains project.
/// </remarks>
public sealed class MemoryCapCounters
{
    private long _swarmsEvicted;
    private long _peersEvicted;
    private long _torrentsUnlisted;

    public long SwarmsEvicted => Volatile.Read(ref _swarmsEvicted);

    public long PeersEvicted => Volatile.Read(ref _peersEvicted);

    public long TorrentsUnlisted => Volatile.Read(ref _torrentsUnlisted);

    public void AddSwarmEvicted() => Interlocked.Increment(ref _swarmsEvicted);

    public void AddPeersEvicted(long count) => Interlocked.Add(ref _peersEvicted, count);

    public void AddTorrentsUnlisted(long count) => Interlocked.Add(ref _torrentsUnlisted, count);
}
