using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// announces_per_address_per_minute: counts each address's announces in fixed one-minute windows
/// (IPv6 per /64, as the junk throttle counts) and refuses those beyond the limit. The table is a
/// fixed array (<see cref="Slots"/> × 8 bytes = 1 MiB), so no number of addresses, spoofed or real,
/// makes it grow. Each slot holds a 32-bit fingerprint of its address (a keyed hash: nobody can aim
/// at an innocent address), the window and the count; an address looks in a bucket of four slots.
/// When all four belong to other addresses in the current window, the one with the fewest announces
/// is taken over: under table pressure counts are lost and announces admitted (fail open), never
/// refused for another address's sake. Slots are written without locks: a lost increment admits one
/// announce more. No allocation.
/// </summary>
public sealed class AnnounceRateLimit
{
    public const int Slots = 1 << 17;
    private const int BucketSize = 4;

    private readonly ulong[] _table;
    private readonly int _limit;
    private readonly TimeProvider _clock;
    private readonly TableHashKey _key = TableHashKey.Random();

    /// <param name="limit">Announces per address per minute; 0 admits everything and keeps no table.</param>
    public AnnounceRateLimit(int limit, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, ushort.MaxValue - 1);
        ArgumentNullException.ThrowIfNull(clock);
        _limit = limit;
        _clock = clock;
        _table = limit == 0 ? [] : new ulong[Slots];
    }

    public bool Enabled => _limit > 0;

    /// <summary>Counts one announce from <paramref name="client"/>; false when it is beyond the limit (and then not counted).</summary>
    public bool TryAdmit(PeerEndpoint client)
    {
        if (_limit == 0)
            return true;
        var hash = _key.HashHost(client);
        var fingerprint = (ulong)((uint)(hash >> 32) | 1u); // never 0, the empty slot
        var bucket = (int)hash & (Slots - 1) & ~(BucketSize - 1);
        var window = (ulong)(ushort)(_clock.GetUtcNow().ToUnixTimeSeconds() / 60);

        var victim = bucket;
        var victimCount = int.MaxValue;
        for (var i = bucket; i < bucket + BucketSize; i++)
        {
            var slot = Volatile.Read(ref _table[i]);
            var count = (int)(slot & 0xFFFF);
            var current = (slot >> 16 & 0xFFFF) == window;
            if (slot >> 32 == fingerprint)
            {
                if (!current)
                    break; // its own stale slot: start a new window there
                if (count >= _limit)
                    return false;
                Volatile.Write(ref _table[i], slot + 1);
                return true;
            }
            var weight = slot == 0 || !current ? -1 : count;
            if (weight < victimCount)
                (victim, victimCount) = (i, weight);
        }
        // New here (or its window ended): take the emptiest slot of the bucket.
        for (var i = bucket; i < bucket + BucketSize; i++)
        {
            if (Volatile.Read(ref _table[i]) >> 32 == fingerprint)
            {
                victim = i;
                break;
            }
        }
        Volatile.Write(ref _table[victim], fingerprint << 32 | window << 16 | 1);
        return true;
    }
}
