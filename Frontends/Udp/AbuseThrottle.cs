using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// Silences an address that keeps sending junk (bad connection ids, malformed packets): after
/// <c>limit</c> of them within one window, its junk is dropped without an response until the window
/// ends (Torrust bans after 10 errors; see UdpRequestHandler for why only errors are dropped). The table is a fixed array of counters indexed by a keyed hash of the address
/// (the port is ignored, so changing ports does not help; for IPv6 the /64 counts), so it costs the same memory whatever an
/// attacker sends; the random key keeps anyone from aiming collisions at an innocent address.
/// A collision can only make two addresses share a counter, never grow the table. Slots are
/// updated without locks (a lost increment would only delay a ban).
/// </summary>
public sealed class AbuseThrottle
{
    /// <summary>Slots: 65,536 × 8 bytes = 512 KiB per listener.</summary>
    public const int Slots = 1 << 16;

    private readonly long[] _table = new long[Slots]; // window start (seconds) << 32 | failures
    private readonly TableHashKey _key = TableHashKey.Random();
    private readonly int _limit;
    private readonly long _windowSeconds;
    private readonly TimeProvider _clock;
    private readonly long _epoch;

    /// <param name="limit">Bad connection ids allowed per window; 0 turns the throttle off.</param>
    public AbuseThrottle(int limit, TimeSpan window, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        _windowSeconds = Math.Max(1, (long)window.TotalSeconds);
        _clock = clock;
        _epoch = clock.GetUtcNow().ToUnixTimeSeconds() - 1; // so "now" is never 0, the empty slot
    }

    public bool Enabled => _limit > 0;

    /// <summary>True while <paramref name="source"/> is silenced.</summary>
    public bool IsBlocked(PeerEndpoint source)
    {
        if (_limit == 0)
            return false;
        var slot = Volatile.Read(ref _table[SlotOf(source)]);
        return (int)slot >= _limit && Now() - (slot >> 32) < _windowSeconds;
    }

    /// <summary>Counts one bad connection id from <paramref name="source"/>.</summary>
    public void RecordFailure(PeerEndpoint source)
    {
        if (_limit == 0)
            return;
        ref var slot = ref _table[SlotOf(source)];
        var now = Now();
        var current = Volatile.Read(ref slot);
        var fresh = current == 0 || now - (current >> 32) >= _windowSeconds;
        Volatile.Write(ref slot, fresh ? (now << 32) | 1 : current + 1);
    }

    private long Now() => _clock.GetUtcNow().ToUnixTimeSeconds() - _epoch;

    private int SlotOf(PeerEndpoint source) => (int)(_key.HashHost(source) & (Slots - 1));
}
