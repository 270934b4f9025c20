using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// Everything a frontend writes back for an announce, from a single grain call: live counts, the
/// historic completed count and the chosen peers already in compact wire form.
/// </summary>
/// <param name="Peers4">Compact IPv4 peers, 6 bytes each (BEP 23).</param>
/// <param name="Peers6">Compact IPv6 peers, 18 bytes each (BEP 7).</param>
/// <param name="PeerIds">
/// When asked for: 20 bytes per returned peer, the IPv4 peers first, in the same order as the
/// compact lists. Empty otherwise.
/// </param>
/// <param name="PeerLimitReached">
/// The announce was refused and changed nothing: its address already holds
/// <c>peers_per_address_per_swarm</c> peers in this swarm. Frontends answer with a failure reason.
/// </param>
[GenerateSerializer, Immutable]
public sealed record AnnounceResult(
    [property: Id(0)] int Seeders,
    [property: Id(1)] int Leechers,
    [property: Id(2)] long Completed,
    [property: Id(3)] byte[] Peers4,
    [property: Id(4)] byte[] Peers6,
    [property: Id(5)] byte[] PeerIds,
    [property: Id(6)] bool PeerLimitReached = false)
{
    public int Peers4Count => Peers4.Length / PeerEndpoint.CompactIPv4Length;
    public int Peers6Count => Peers6.Length / PeerEndpoint.CompactIPv6Length;
}
