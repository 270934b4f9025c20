namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// Swarms this process's silo evicted to stay under <c>max_swarms_per_silo</c>, and peers its
/// swarms evicted to stay under <c>max_peers_per_swarm</c>. One per process: the silo's swarm cap
/// and torrent grains add to it, the request statistics publish it with the other counters.
/// It lives here because the frontends must not depend on the grains project.
/// </summary>
public sealed class SwarmEvictionCounter
{
    private long _total;
    private long _peers;
    private long _unlisted;

    public long Total => Volatile.Read(ref _total);

    public long Peers => Volatile.Read(ref _peers);

    public void Add() => Interlocked.Increment(ref _total);

    public void AddPeers(long count) => Interlocked.Add(ref _peers, count);

    /// <summary>Idle stored torrents the sweep partitions on this silo dropped from the torrent list (max_idle_torrents_listed).</summary>
    public long Unlisted => Volatile.Read(ref _unlisted);

    public void AddUnlisted(long count) => Interlocked.Add(ref _unlisted, count);
}
