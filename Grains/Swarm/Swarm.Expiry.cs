using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// Time and expiry. Times are milliseconds of the injected clock's monotonic timestamp since the
/// swarm was created; a peer stores its last announce as a 32-bit offset from <see cref="_base"/>,
/// which moves forward every ~24 days (<see cref="Rebase"/>) so the offsets never overflow.
/// A peer is expired once <c>now - last announce &gt;= PeerTimeout</c>.
/// </summary>
public sealed partial class Swarm
{
    /// <summary>Announce sweeps lazily, but never more often than this.</summary>
    private const long MinSweepIntervalMs = 1000;
    private const long RebaseAfterMs = int.MaxValue;

    private readonly long _epoch;
    private readonly long _timeoutMs;
    private long _base;
    private long _lastSweep = long.MinValue / 2;
    /// <summary>
    /// No sweep before this: the later of a lower bound on the oldest peer's expiry and one
    /// second after the last sweep. <see cref="long.MaxValue"/> while nothing can expire.
    /// </summary>
    private long _nextSweep = long.MaxValue;

    /// <summary>Removes every expired peer now and returns how many were removed.</summary>
    public int RemoveExpired() => Sweep(Now());

    /// <summary>
    /// Removes expired peers only when one may have expired (and at most once a second), as an
    /// announce does: cheap enough for every scrape, so counts read between sweeps are right.
    /// </summary>
    public int RemoveExpiredIfDue()
    {
        var now = Now();
        return now >= _nextSweep ? Sweep(now) : 0;
    }

    /// <summary>
    /// The live (unexpired) peers, IPv4 first, for the admin API. Expired peers are left out but not
    /// removed (except by the rare time-base move, which sweeps first).
    /// </summary>
    public IReadOnlyList<PeerSnapshot> SnapshotPeers()
    {
        var now = Now();
        var utcNow = _clock.GetUtcNow();
        var snapshots = new List<PeerSnapshot>(PeerCount);
        AddSnapshots(_peers4, snapshots, now, utcNow);
        if (_peers6 is not null)
            AddSnapshots(_peers6, snapshots, now, utcNow);
        AddWebSocketSnapshots(snapshots, now, utcNow);
        return snapshots;
    }

    private long Now()
    {
        var now = _clock.GetElapsedTime(_epoch).Ticks / TimeSpan.TicksPerMillisecond;
        if (now - _base > RebaseAfterMs)
            Rebase(now);
        return now;
    }

    private bool IsExpired(uint lastSeen, long now) => now - _base - lastSeen >= _timeoutMs;

    /// <summary>Peers whose <see cref="PeerEntry{TAddress}.LastSeen"/> is at or below this are expired.</summary>
    private long ExpiryCutoff(long now) => now - _base - _timeoutMs;

    private int Sweep(long now)
    {
        var cutoff = ExpiryCutoff(now);
        var oldest = long.MaxValue;
        var removedPaired = false;
        var removed = SweepList(_peers4, cutoff, ref oldest, ref removedPaired);
        if (_peers6 is not null)
            removed += SweepList(_peers6, cutoff, ref oldest, ref removedPaired);
        if (removed > 0)
        {
            RebuildIndex(TargetSlots(PeerCount));   // compaction moved entries: references changed
            RecountAddresses();
        }
        if (removedPaired)
            RepairPairs();
        removed += SweepWebSocketPeers(cutoff, ref oldest);
        _lastSweep = now;
        var nextExpiry = oldest == long.MaxValue ? long.MaxValue : _base + oldest + _timeoutMs;
        _nextSweep = Math.Max(nextExpiry, now + MinSweepIntervalMs);
        return removed;
    }

    /// <summary>Compacts out expired peers in place, keeping the counters right.</summary>
    private int SweepList<TAddress>(PeerList<TAddress> peers, long cutoff, ref long oldest, ref bool removedPaired)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        var span = peers.AsSpan();
        var kept = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i].LastSeen <= cutoff)
            {
                Uncount(span[i].Flags);
                removedPaired |= (span[i].Flags & PeerFlags.Paired) != 0;
                continue;
            }
            oldest = Math.Min(oldest, span[i].LastSeen);
            if (kept != i)
                span[kept] = span[i];
            kept++;
        }
        peers.Truncate(kept);
        return span.Length - kept;
    }

    /// <summary>
    /// Moves the time base forward to just before the oldest live peer. Expired peers go first, so
    /// every remaining offset stays positive.
    /// </summary>
    private void Rebase(long now)
    {
        Sweep(now);
        var shift = now - _base - _timeoutMs;
        if (shift <= 0)
            return;
        foreach (ref var entry in _peers4.AsSpan())
            entry.LastSeen -= (uint)shift;
        if (_peers6 is not null)
        {
            foreach (ref var entry in _peers6.AsSpan())
                entry.LastSeen -= (uint)shift;
        }
        RebaseWebSocketPeers((uint)shift);
        _base += shift;
    }

    private void AddSnapshots<TAddress>(PeerList<TAddress> peers, List<PeerSnapshot> into, long now, DateTimeOffset utcNow)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        var cutoff = ExpiryCutoff(now);
        foreach (ref readonly var entry in peers.AsSpan())
        {
            if (entry.LastSeen <= cutoff)
                continue;
            var age = now - _base - entry.LastSeen;
            into.Add(new PeerSnapshot(
                PeerId.Read(entry.Id),
                entry.Address.ToEndpoint(entry.Port),
                entry.Uploaded,
                entry.Downloaded,
                entry.Left,
                utcNow - TimeSpan.FromMilliseconds(age),
                (AnnounceEvent)entry.LastEvent));
        }
    }
}
