using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Torrents;

/// <summary>
/// This silo's torrent activations: every torrent grain joins as it activates and leaves as it
/// deactivates; an announce stamps its entry's time and, when its swarm's size changed, the size.
/// Two jobs use the registry: the <see cref="Partitions.PartitionWatch"/> finds a moved partition's
/// swarms here, and the memory caps (<c>max_swarms_per_silo</c>, <c>max_peers_per_silo</c>,
/// SiloSwarms.Caps.cs) evict the swarms announced longest ago when a flood of random info hashes
/// or invented peers takes a count over its cap.
/// </summary>
public sealed partial class SiloSwarms
{
    private readonly ConcurrentDictionary<InfoHash, SiloSwarmEntry> _entries = new();
    private readonly MemoryCapCounters _counters;
    private readonly TimeProvider _clock;
    private readonly ILogger<SiloSwarms> _logger;
    private int _count;
    // Peers held by this silo's swarms, as each last reported its size.
    private long _peers;

    private readonly IGrainFactory _grains;

    public SiloSwarms(IOptions<TorrentOptions> options, MemoryCapCounters counters, TimeProvider clock, IGrainFactory grains, ILogger<SiloSwarms> logger)
    {
        _grains = grains;
        Limit = options.Value.MaxSwarmsPerSilo;
        PeerLimit = options.Value.MaxPeersPerSilo;
        _counters = counters;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Peers held by this silo's swarms.</summary>
    public long Peers => Volatile.Read(ref _peers);

    /// <summary>Swarm activations on this silo.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Called by a torrent grain as it activates.</summary>
    public SiloSwarmEntry Activated(InfoHash hash)
    {
        var entry = new SiloSwarmEntry(_clock.GetUtcNow().UtcTicks);
        _entries[hash] = entry;
        Interlocked.Increment(ref _count);
        if (OverSwarmLimit)
            StartPass();
        return entry;
    }

    /// <summary>
    /// Called by a torrent grain after a request that may have changed its number of peers. A
    /// steady re-announce changes nothing and costs one comparison.
    /// </summary>
    public void PeersNow(SiloSwarmEntry entry, int peers)
    {
        var before = entry.Peers;
        if (before == peers)
            return;
        entry.Peers = peers;
        Interlocked.Add(ref _peers, peers - before);
        if (peers > before && OverPeerLimit)
            StartPass();
    }

    /// <summary>Counts peers a swarm evicted to stay under max_peers_per_swarm.</summary>
    public void AddPeersEvicted(long count) => _counters.AddPeersEvicted(count);

    /// <summary>Called by a torrent grain as it deactivates (for whatever reason).</summary>
    public void Deactivated(InfoHash hash, SiloSwarmEntry entry)
    {
        // Only this activation's entry: a new activation of the same hash may already have replaced it.
        _entries.TryRemove(KeyValuePair.Create(hash, entry));
        Interlocked.Decrement(ref _count);
        Interlocked.Add(ref _peers, -entry.Peers);
        entry.Peers = 0;
        if (entry.Leaving)
        {
            Interlocked.Decrement(ref _leaving);
            Interlocked.Add(ref _leavingPeers, -entry.LeavingPeers);
        }
    }

    /// <summary>
    /// This silo's torrent activations in one sweep partition's bucket (a snapshot). Scans every
    /// entry: it runs only when a partition was activated again elsewhere.
    /// </summary>
    public InfoHash[] SwarmsOf(long partition) =>
        _entries.Keys.Where(hash => SweepPartitions.For(hash) == partition).ToArray();
}

/// <summary>
/// One activation's entry in <see cref="SiloSwarms"/>. No grain reference: an eviction pass (rare)
/// makes one from the registry's key, which saves a reference object per torrent.
/// </summary>
public sealed class SiloSwarmEntry(long activatedTicks)
{
    private long _lastAnnounceTicks = activatedTicks;

    /// <summary>The last announce (or the activation, before any announce), in UTC ticks.</summary>
    public long LastAnnounceTicks => Volatile.Read(ref _lastAnnounceTicks);

    internal bool Leaving { get; set; }

    // Written only by the owning grain (one request at a time) and by Deactivated after it; read
    // by eviction passes, where a slightly stale size only shifts which swarm goes first.
    internal int Peers { get; set; }

    // The size taken out of the silo's total when the swarm agreed to leave.
    internal int LeavingPeers { get; set; }

    public void Announced(long utcTicks) => Volatile.Write(ref _lastAnnounceTicks, utcTicks);
}
