namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// The per-swarm peer cap (<see cref="SwarmOptions.MaxPeers"/>). Without it one client can announce
/// any number of invented peer ids into one hash, each kept until its timeout. When a new peer finds
/// the swarm full, the peers announced longest ago go, so active peers (which re-announce every
/// interval) stay and a flood of fresh ids pushes out idle peers and its own older ids first.
/// </summary>
/// <remarks>
/// Eviction drops a batch of about 1/32 of the cap at once, so its O(n) passes are paid once per
/// that many new peers rather than on every announce of a full swarm. The batch boundary is found
/// exactly by a radix select on the 32-bit last-announce offsets: four counting passes with a
/// 256-entry histogram on the stack, no allocation, and no input that makes it slower.
/// </remarks>
public sealed partial class Swarm
{
    /// <summary>Live peers this swarm has dropped to stay under the cap (expired ones not counted).</summary>
    public long EvictedPeers { get; private set; }

    private int EvictionBatch => Math.Max(1, _options.MaxPeers / 32);

    /// <summary>Removes the oldest peers so that at least one more fits under the cap.</summary>
    private void EvictOldest(long now)
    {
        var total = PeerCount;
        var evict = Math.Min(total, total - _options.MaxPeers + EvictionBatch);
        if (evict <= 0)
            return;
        var threshold = OldestKth(evict, out var atThreshold);
        var expiryCutoff = ExpiryCutoff(now);
        var removedPaired = false;
        EvictList(_peers4, threshold, ref atThreshold, expiryCutoff, ref removedPaired);
        if (_peers6 is not null)
            EvictList(_peers6, threshold, ref atThreshold, expiryCutoff, ref removedPaired);
        // Compaction moved entries, so every reference changed; the lazy-sweep bound stays valid
        // because removing peers can only make the oldest remaining one younger.
        RebuildIndex(TargetSlots(PeerCount));
        RecountAddresses();
        if (removedPaired)
            RepairPairs();
    }

    /// <summary>
    /// The <paramref name="k"/>-th smallest last-announce offset over both families. Every peer
    /// below it is among the k oldest; <paramref name="atThreshold"/> says how many peers exactly
    /// at it complete the k.
    /// </summary>
    private uint OldestKth(int k, out int atThreshold)
    {
        Span<int> histogram = stackalloc int[256];
        uint prefix = 0;
        uint mask = 0;
        var remaining = k;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
            histogram.Clear();
            Histogram(_peers4, histogram, prefix, mask, shift);
            if (_peers6 is not null)
                Histogram(_peers6, histogram, prefix, mask, shift);
            var digit = 0;
            while (histogram[digit] < remaining)
                remaining -= histogram[digit++];
            prefix |= (uint)digit << shift;
            mask |= 0xFFu << shift;
        }
        atThreshold = remaining;
        return prefix;
    }

    private static void Histogram<TAddress>(PeerList<TAddress> peers, Span<int> histogram, uint prefix, uint mask, int shift)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        foreach (ref readonly var entry in peers.AsSpan())
        {
            if ((entry.LastSeen & mask) == prefix)
                histogram[(int)((entry.LastSeen >> shift) & 0xFF)]++;
        }
    }

    /// <summary>
    /// Compacts out every peer older than <paramref name="threshold"/> and the first
    /// <paramref name="atThreshold"/> peers exactly at it, keeping the seeder/leecher counts right.
    /// </summary>
    private void EvictList<TAddress>(PeerList<TAddress> peers, uint threshold, ref int atThreshold, long expiryCutoff, ref bool removedPaired)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        var span = peers.AsSpan();
        var kept = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var lastSeen = span[i].LastSeen;
            var evict = lastSeen < threshold || (lastSeen == threshold && atThreshold > 0);
            if (evict)
            {
                if (lastSeen == threshold)
                    atThreshold--;
                Uncount(span[i].Flags);
                removedPaired |= (span[i].Flags & PeerFlags.Paired) != 0;
                if (lastSeen > expiryCutoff)
                    EvictedPeers++;
                continue;
            }
            if (kept != i)
                span[kept] = span[i];
            kept++;
        }
        peers.Truncate(kept);
    }
}
