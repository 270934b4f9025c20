using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Torrents;

/// <summary>
/// The silo's registry of its torrent activations, and the caps on them. Keeps the number of swarm
/// activations on this silo at or under <c>max_swarms_per_silo</c> and the peers they hold in all
/// at or under <c>max_peers_per_silo</c>, so a flood of announces with random info hashes or
/// invented peers cannot exhaust memory; the <see cref="Partitions.PartitionWatch"/> finds a moved
/// partition's swarms here. Every torrent grain registers here when it activates and leaves when it
/// deactivates; an announce stamps its entry's time and, when its swarm's size changed, the size.
/// When a new activation or peer takes a count over its cap, one background pass asks the swarms
/// announced longest ago to leave (down to <see cref="TargetShare"/> of the cap, so a flood costs
/// one scan per tenth of the cap, not one per activation). A swarm saves its completed count before
/// it leaves and reloads it when it comes back; its peers re-enter on their next announce.
/// </summary>
public sealed class SwarmCap
{
    /// <summary>A pass evicts down to this share of the cap.</summary>
    public const double TargetShare = 0.9;

    private readonly ConcurrentDictionary<InfoHash, SwarmCapEntry> _entries = new();
    private readonly SwarmEvictionCounter _evictions;
    private readonly TimeProvider _clock;
    private readonly ILogger<SwarmCap> _logger;
    private int _count;
    // Peers held by this silo's swarms, as each last reported its size.
    private long _peers;
    private long _leavingPeers;
    // Swarms asked to leave that have not deactivated yet: counted out so a pass does not evict
    // again while the previous pass's swarms are still saving and leaving.
    private int _leaving;
    private int _passRunning;
    private bool _warnedSwarms;
    private bool _warnedPeers;

    public SwarmCap(IOptions<TorrentOptions> options, SwarmEvictionCounter evictions, TimeProvider clock, ILogger<SwarmCap> logger)
    {
        Limit = options.Value.MaxSwarmsPerSilo;
        PeerLimit = options.Value.MaxPeersPerSilo;
        _evictions = evictions;
        _clock = clock;
        _logger = logger;
    }

    public int Limit { get; }

    /// <summary>max_peers_per_silo.</summary>
    public long PeerLimit { get; }

    /// <summary>Peers held by this silo's swarms.</summary>
    public long Peers => Volatile.Read(ref _peers);

    /// <summary>Swarm activations on this silo.</summary>
    public int Count => Volatile.Read(ref _count);

    public long Evicted => _evictions.Total;

    /// <summary>Peers evicted by the per-swarm cap, this process's total (published as peers_evicted).</summary>
    public long PeersEvicted => _evictions.Peers;

    /// <summary>Counts peers a swarm evicted to stay under max_peers_per_swarm.</summary>
    public void AddPeersEvicted(long count) => _evictions.AddPeers(count);

    /// <summary>Called by a torrent grain as it activates.</summary>
    public SwarmCapEntry Activated(InfoHash hash, ITorrentGrain grain)
    {
        var entry = new SwarmCapEntry(grain, _clock.GetUtcNow().UtcTicks);
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
    public void PeersNow(SwarmCapEntry entry, int peers)
    {
        var before = entry.Peers;
        if (before == peers)
            return;
        entry.Peers = peers;
        Interlocked.Add(ref _peers, peers - before);
        if (peers > before && OverPeerLimit)
            StartPass();
    }

    /// <summary>Called by a torrent grain as it deactivates (for whatever reason).</summary>
    public void Deactivated(InfoHash hash, SwarmCapEntry entry)
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

    /// <summary>Called by a grain that agreed to leave: counts the eviction.</summary>
    internal void Leaving(SwarmCapEntry entry)
    {
        entry.Leaving = true;
        entry.LeavingPeers = entry.Peers;
        Interlocked.Increment(ref _leaving);
        Interlocked.Add(ref _leavingPeers, entry.LeavingPeers);
        _evictions.Add();
    }

    // Swarms (peers) asked to leave are counted out, so a pass does not evict again while the
    // previous pass's swarms are still saving and leaving.
    private int StayingSwarms => Count - Volatile.Read(ref _leaving);

    private long StayingPeers => Peers - Volatile.Read(ref _leavingPeers);

    private bool OverSwarmLimit => StayingSwarms > Limit;

    private bool OverPeerLimit => StayingPeers > PeerLimit;

    private void StartPass()
    {
        if (Interlocked.CompareExchange(ref _passRunning, 1, 0) == 0)
            _ = Task.Run(EvictionPass);
    }

    private async Task EvictionPass()
    {
        try
        {
            while (OverSwarmLimit || OverPeerLimit)
            {
                var swarmExcess = OverSwarmLimit ? StayingSwarms - (int)(Limit * TargetShare) : 0;
                var peerExcess = OverPeerLimit ? StayingPeers - (long)(PeerLimit * TargetShare) : 0;
                WarnOnce(swarmExcess > 0, peerExcess > 0);
                var (victims, cutoff) = Oldest(swarmExcess, peerExcess);
                if (victims.Count == 0)
                    return;
                var asked = victims.Select(v => v.Grain.Evict(cutoff).AsTask());
                // A swarm that stopped answering must not stall the cap for good: the next pass
                // (triggered by the next activation or peer over the cap) tries again.
                await Task.WhenAll(asked).WaitAsync(TimeSpan.FromSeconds(30));
                // Swarms announced after the scan refused; if that left too many, go again.
                if (!victims.Any(v => v.Leaving))
                    return;
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "A swarm eviction pass failed; the next activation or peer over the cap starts another");
        }
        finally
        {
            Volatile.Write(ref _passRunning, 0);
        }
    }

    private void WarnOnce(bool swarms, bool peers)
    {
        if (swarms && !_warnedSwarms)
        {
            _warnedSwarms = true;
            _logger.LogWarning("More than max_swarms_per_silo = {Limit} swarms on this silo: evicting the ones announced longest ago (counted in swarms_evicted; this message is logged once)", Limit);
        }
        if (peers && !_warnedPeers)
        {
            _warnedPeers = true;
            _logger.LogWarning("More than max_peers_per_silo = {Limit} peers on this silo: evicting the swarms announced longest ago (counted in swarms_evicted; this message is logged once)", PeerLimit);
        }
    }

    /// <summary>
    /// The entries announced longest ago, as many as it takes to remove <paramref name="swarms"/>
    /// swarms and <paramref name="peers"/> peers (one snapshot, sorted: a pass runs once per tenth
    /// of a cap), and the newest stamp among them: a victim announced after that has become busy
    /// and stays.
    /// </summary>
    private (List<SwarmCapEntry> Victims, long Cutoff) Oldest(int swarms, long peers)
    {
        var entries = _entries.Values.Where(e => !e.Leaving).ToArray();
        var stamps = Array.ConvertAll(entries, e => e.LastAnnounceTicks);
        Array.Sort(stamps, entries);
        var victims = new List<SwarmCapEntry>();
        long cutoff = 0, taken = 0;
        for (var i = 0; i < entries.Length && (victims.Count < swarms || taken < peers); i++)
        {
            victims.Add(entries[i]);
            taken += entries[i].Peers;
            cutoff = stamps[i];
        }
        return (victims, cutoff);
    }
}

/// <summary>One activation's place in the <see cref="SwarmCap"/>.</summary>
public sealed class SwarmCapEntry(ITorrentGrain grain, long activatedTicks)
{
    private long _lastAnnounceTicks = activatedTicks;

    internal ITorrentGrain Grain { get; } = grain;

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
