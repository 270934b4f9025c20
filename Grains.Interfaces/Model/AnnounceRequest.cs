using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// One announce, as the frontends hand it to a torrent's grain. The info hash is the grain key.
/// </summary>
/// <param name="PeerId">The announcing peer's id.</param>
/// <param name="Endpoint">Source address (after reverse-proxy and external_ip rules) and announced port.</param>
/// <param name="NumWant">Peers asked for; negative means "the tracker's default".</param>
/// <param name="Families">Peer families to return: the request's own over UDP, both over HTTP.</param>
/// <param name="IncludePeerIds">True for non-compact HTTP answers, which carry each peer's id.</param>
[GenerateSerializer, Immutable]
public readonly record struct AnnounceRequest(
    [property: Id(0)] PeerId PeerId,
    [property: Id(1)] PeerEndpoint Endpoint,
    [property: Id(2)] long Uploaded,
    [property: Id(3)] long Downloaded,
    [property: Id(4)] long Left,
    [property: Id(5)] AnnounceEvent Event,
    [property: Id(6)] int NumWant,
    [property: Id(7)] PeerFamilies Families,
    [property: Id(8)] bool IncludePeerIds);
