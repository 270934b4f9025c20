using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// peers_per_address_per_swarm: entries per address (IPv4 address, IPv6 /64), one count table per
/// family, kept only when the limit is on. Adding and removing one entry move its count (a table
/// entry appears with an address's first peer and goes with its last, so the table never outgrows
/// the swarm); the sweep and eviction, which compact the arrays in bulk, count again from scratch
/// as they rebuild the index. Only an announce that would store a new entry is checked: peers
/// already stored keep announcing, and a refused announce changes nothing.
/// </summary>
public sealed partial class Swarm
{
    private Dictionary<ulong, int>? _perAddress4;
    private Dictionary<ulong, int>? _perAddress6;

    private Dictionary<ulong, int>? CountsOf(int family)
    {
        if (_options.MaxPeersPerAddress == 0)
            return null;
        return family == IPv4Address.Family ? _perAddress4 ??= [] : _perAddress6 ??= [];
    }

    private bool AddressAtLimit<TAddress>(in TAddress address) where TAddress : struct, IPeerAddress<TAddress>
    {
        var counts = CountsOf(TAddress.Family);
        return counts is not null && counts.TryGetValue(address.LimitKey, out var held) && held >= _options.MaxPeersPerAddress;
    }

    private void CountAddress<TAddress>(in TAddress address, int change) where TAddress : struct, IPeerAddress<TAddress>
    {
        var counts = CountsOf(TAddress.Family);
        if (counts is null)
            return;
        var key = address.LimitKey;
        var held = counts.GetValueOrDefault(key) + change;
        if (held > 0)
            counts[key] = held;
        else
            counts.Remove(key);
    }

    private void RecountAddresses()
    {
        if (_options.MaxPeersPerAddress == 0)
            return;
        _perAddress4?.Clear();
        _perAddress6?.Clear();
        RecountList(_peers4);
        if (_peers6 is not null)
            RecountList(_peers6);
    }

    private void RecountList<TAddress>(PeerList<TAddress> peers) where TAddress : struct, IPeerAddress<TAddress>
    {
        for (var i = 0; i < peers.Count; i++)
            CountAddress(peers[i].Address, +1);
    }

    /// <summary>Entries stored at the address of <paramref name="endpoint"/> (its /64 for IPv6); 0 when the limit is off.</summary>
    internal int PeersAt(PeerEndpoint endpoint)
    {
        if (endpoint.IsIPv4)
            return CountsOf(IPv4Address.Family)?.GetValueOrDefault(IPv4Address.From(endpoint).LimitKey) ?? 0;
        return CountsOf(IPv6Address.Family)?.GetValueOrDefault(IPv6Address.From(endpoint).LimitKey) ?? 0;
    }

    private AnnounceResult PeerLimitRefusal() =>
        new(_seeders, _leechers, _completed, Array.Empty<byte>(), Array.Empty<byte>(), Array.Empty<byte>(), PeerLimitReached: true);
}
