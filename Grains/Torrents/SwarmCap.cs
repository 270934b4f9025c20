using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Torrents;

/// <summary>
/// The silo's registry of its torrent activations, and the cap on them. Keeps the number of swarm
/// activations on this silo at or under <c>max_swarms_per_silo</c>, so a flood of announces with
/// random info hashes cannot exhaust memory; the <see cref="Partitions.PartitionWatch"/> finds a
/// moved partition's swarms here. Every torrent grain registers here when it activates and leaves
/// when it deactivates; an announce only stamps its entry's time.
/// When a new activation takes the count over the cap, one background pass asks the swarms
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
    // Swarms asked to leave that have not deactivated yet: counted out so a pass does not evict
    // again while the previous pass's swarms are still saving and leaving.
    private int _leaving;
    private int _passRunning;
    private bool _warned;

    public SwarmCap(IOptions<TorrentOptions> options, SwarmEvictionCounter evictions, TimeProvider clock, ILogger<SwarmCap> logger)
    {
        Limit = options.Value.MaxSwarmsPerSilo;
        _evictions = evictions;
        _clock = clock;
        _logger = logger;
    }

    public int Limit { get; }

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
        var count = Interlocked.Increment(ref _count);
        if (count - Volatile.Read(ref _leaving) > Limit && Interlocked.CompareExchange(ref _passRunning, 1, 0) == 0)
            _ = Task.Run(EvictionPass);
        return entry;
    }

    /// <summary>Called by a torrent grain as it deactivates (for whatever reason).</summary>
    public void Deactivated(InfoHash hash, SwarmCapEntry entry)
    {
        // Only this activation's entry: a new activation of the same hash may already have replaced it.
        _entries.TryRemove(KeyValuePair.Create(hash, entry));
        Interlocked.Decrement(ref _count);
        if (entry.Leaving)
            Interlocked.Decrement(ref _leaving);
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
        Interlocked.Increment(ref _leaving);
        _evictions.Add();
    }

    private async Task EvictionPass()
    {
        try
        {
            while (true)
            {
                var excess = Count - Volatile.Read(ref _leaving) - (int)(Limit * TargetShare);
                if (Count - Volatile.Read(ref _leaving) <= Limit || excess <= 0)
                    return;
                if (!_warned)
                {
                    _warned = true;
                    _logger.LogWarning("More than max_swarms_per_silo = {Limit} swarms on this silo: evicting the ones announced longest ago (counted in swarms_evicted; this message is logged once)", Limit);
                }
                var (victims, cutoff) = Oldest(excess);
                var asked = victims.Select(v => v.Grain.Evict(cutoff).AsTask());
                // A swarm that stopped answering must not stall the cap for good: the next pass
                // (triggered by the next activation over the cap) tries again.
                await Task.WhenAll(asked).WaitAsync(TimeSpan.FromSeconds(30));
                // Swarms announced after the scan refused; if that left too many, go again.
                if (!victims.Any(v => v.Leaving))
                    return;
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "A swarm eviction pass failed; the next activation over the cap starts another");
        }
        finally
        {
            Volatile.Write(ref _passRunning, 0);
        }
    }

    /// <summary>
    /// The <paramref name="n"/> entries announced longest ago (a max-heap of n over one scan), and
    /// the newest stamp among them: a victim announced after that has become busy and stays.
    /// </summary>
    private (List<SwarmCapEntry> Victims, long Cutoff) Oldest(int n)
    {
        var heap = new PriorityQueue<SwarmCapEntry, long>(n + 1, Comparer<long>.Create((a, b) => b.CompareTo(a)));
        foreach (var entry in _entries.Values)
        {
            if (entry.Leaving)
                continue;
            var stamp = entry.LastAnnounceTicks;
            if (heap.Count < n)
                heap.Enqueue(entry, stamp);
            else if (heap.TryPeek(out _, out var newest) && stamp < newest)
                heap.EnqueueDequeue(entry, stamp);
        }
        heap.TryPeek(out _, out var cutoff);
        var victims = new List<SwarmCapEntry>(heap.Count);
        while (heap.TryDequeue(out var entry, out _))
            victims.Add(entry);
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

    public void Announced(long utcTicks) => Volatile.Write(ref _lastAnnounceTicks, utcTicks);
}
