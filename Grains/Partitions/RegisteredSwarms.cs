using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// The swarms one sweep partition knows, with the counts each last reported and their running sums.
/// Registrations and removals arrive as one-way messages, which Orleans does not order: a swarm's
/// report can overtake an earlier one, and the <c>Unregister</c> of an activation that left can
/// arrive after the <c>Register</c> of the next one (perhaps on another silo). So every message
/// carries a version that grows per swarm across activations, and the version of a removed swarm
/// is kept (a tombstone) so that a report overtaken by the removal cannot bring it back.
/// Plain data structure, no Orleans.
/// </summary>
internal sealed class RegisteredSwarms(int maxTombstones = RegisteredSwarms.DefaultMaxTombstones)
{
    /// <summary>
    /// About 0.5 MB of tombstones a partition. One-way messages have no time-to-live in Orleans, so
    /// no window is provably long enough; a late report that arrives after its tombstone is gone
    /// makes a ghost entry, which the next sweep removes (the swarm's fresh activation reports
    /// itself removed).
    /// </summary>
    public const int DefaultMaxTombstones = 8192;

    private readonly Dictionary<InfoHash, SwarmCounts> _counts = [];
    // The last version taken per swarm: live ones, and tombstones of removed ones.
    private readonly Dictionary<InfoHash, long> _versions = [];
    // Tombstones, oldest first; an entry whose hash registered again is stale and only skipped.
    private readonly Queue<(InfoHash Hash, long Version)> _tombstones = new();

    public SwarmTotals Totals { get; private set; }

    public int Count => _counts.Count;

    public IEnumerable<InfoHash> Hashes => _counts.Keys;

    public bool Contains(InfoHash hash) => _counts.ContainsKey(hash);

    public bool TryGet(InfoHash hash, out SwarmCounts counts) => _counts.TryGetValue(hash, out counts);

    /// <summary>
    /// Takes a swarm's report unless one at least as new (or the swarm's removal) was taken
    /// already. True when taken: the swarm is registered, with <paramref name="counts"/>.
    /// </summary>
    public bool Report(InfoHash hash, SwarmCounts counts, long version)
    {
        if (_versions.TryGetValue(hash, out var known) && version <= known)
            return false;
        _versions[hash] = version;
        Set(hash, counts);
        return true;
    }

    /// <summary>The counts a sweep found for a registered swarm (a sweep's answer is current: no version).</summary>
    public void Update(InfoHash hash, SwarmCounts counts)
    {
        if (_counts.ContainsKey(hash))
            Set(hash, counts);
    }

    /// <summary>
    /// The activation that sent <paramref name="version"/> left memory. Ignored when a newer
    /// activation already reported (its registration stands). True when a registered swarm was removed.
    /// </summary>
    public bool Unregister(InfoHash hash, long version, out SwarmCounts removed)
    {
        removed = default;
        if (_versions.TryGetValue(hash, out var known) && version <= known)
            return false;
        return RemoveAt(hash, version, out removed);
    }

    /// <summary>A sweep found the swarm gone (it removed itself). True when it was registered.</summary>
    public bool RemoveSwept(InfoHash hash, out SwarmCounts removed)
    {
        removed = default;
        return _versions.TryGetValue(hash, out var known) && RemoveAt(hash, known, out removed);
    }

    private bool RemoveAt(InfoHash hash, long version, out SwarmCounts removed)
    {
        _versions[hash] = version;
        _tombstones.Enqueue((hash, version));
        while (_tombstones.Count > maxTombstones)
        {
            var (oldest, at) = _tombstones.Dequeue();
            if (!_counts.ContainsKey(oldest) && _versions.TryGetValue(oldest, out var current) && current == at)
                _versions.Remove(oldest);
        }
        if (!_counts.Remove(hash, out removed))
            return false;
        Totals = Totals.Plus(Negate(removed)) with { Torrents = Totals.Torrents - 1 };
        return true;
    }

    private void Set(InfoHash hash, SwarmCounts counts)
    {
        var totals = Totals;
        if (_counts.TryGetValue(hash, out var old))
            totals = totals.Plus(Negate(old));
        else
            totals = totals with { Torrents = totals.Torrents + 1 };
        _counts[hash] = counts;
        Totals = totals.Plus(new SwarmTotals(0, counts.Seeders, counts.Leechers, counts.Completed));
    }

    private static SwarmTotals Negate(SwarmCounts counts) => new(0, -counts.Seeders, -counts.Leechers, -counts.Completed);
}
