namespace OrleansTracker.Grains.Swarm;

/// <summary>The per-swarm settings, taken from the tracker's configuration.</summary>
/// <param name="PeerTimeout">
/// A peer not heard from for this long is expired: never returned, and dropped by the next sweep.
/// </param>
/// <param name="DefaultNumWant">Peers returned when the request's numwant is negative (absent).</param>
/// <param name="MaxNumWant">Cap on the peers returned, whatever the request asks for.</param>
/// <param name="MaxPeers">
/// Peers the swarm holds at most; a new peer beyond it evicts the peers announced longest ago
/// (<c>max_peers_per_swarm</c>). Unbounded unless set, so tests of other rules need not care.
/// </param>
/// <param name="MaxPeersPerAddress">
/// Entries one address (IPv6: one /64) may hold; an announce that would store one more is refused
/// (<c>peers_per_address_per_swarm</c>). 0: no limit, and no per-address counts are kept.
/// </param>
public sealed record SwarmOptions(TimeSpan PeerTimeout, int DefaultNumWant, int MaxNumWant, int MaxPeers = int.MaxValue, int MaxPeersPerAddress = 0)
{
    /// <summary>
    /// Upper bound on <see cref="PeerTimeout"/>. Peer times are kept as 32-bit millisecond offsets
    /// from a base that moves forward every ~24 days; the timeout must stay well inside that window.
    /// </summary>
    public static TimeSpan MaxPeerTimeout { get; } = TimeSpan.FromDays(7);

    internal void Validate()
    {
        if (PeerTimeout <= TimeSpan.Zero || PeerTimeout > MaxPeerTimeout)
            throw new ArgumentOutOfRangeException(nameof(PeerTimeout), PeerTimeout, $"must be positive and at most {MaxPeerTimeout}");
        ArgumentOutOfRangeException.ThrowIfNegative(DefaultNumWant);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNumWant);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPeers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxPeersPerAddress);
    }
}
