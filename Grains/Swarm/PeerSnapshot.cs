using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>One live peer as the admin API shows it (Torrust's <c>/api/v1/torrent/{hash}</c> peers).</summary>
/// <param name="PeerId">The peer's id.</param>
/// <param name="Endpoint">Address and announced port.</param>
/// <param name="LastAnnounce">When the peer last announced, millisecond precision.</param>
/// <param name="LastEvent">The event of the peer's last announce (<see cref="AnnounceEvent.None"/> for a regular one).</param>
public readonly record struct PeerSnapshot(
    PeerId PeerId,
    PeerEndpoint Endpoint,
    long Uploaded,
    long Downloaded,
    long Left,
    DateTimeOffset LastAnnounce,
    AnnounceEvent LastEvent);
