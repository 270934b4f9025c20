using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>A torrent's counts and live peers, for the admin API (GET /api/v1/torrent/{info_hash}).</summary>
[GenerateSerializer, Immutable]
public sealed record TorrentDetails([property: Id(0)] SwarmCounts Counts, [property: Id(1)] PeerInfo[] Peers);

/// <summary>One live peer as the admin API shows it.</summary>
/// <param name="UpdatedUnixMs">When the peer last announced, Unix milliseconds.</param>
/// <param name="LastEvent">The event of its last announce (<see cref="AnnounceEvent.None"/> for a regular one).</param>
[GenerateSerializer, Immutable]
public readonly record struct PeerInfo(
    [property: Id(0)] PeerId PeerId,
    [property: Id(1)] PeerEndpoint Endpoint,
    [property: Id(2)] long Uploaded,
    [property: Id(3)] long Downloaded,
    [property: Id(4)] long Left,
    [property: Id(5)] long UpdatedUnixMs,
    [property: Id(6)] AnnounceEvent LastEvent);

/// <summary>One row of the torrent list: a hash and its counts (live, or the stored completed count).</summary>
[GenerateSerializer, Immutable]
public readonly record struct TorrentListEntry([property: Id(0)] InfoHash InfoHash, [property: Id(1)] SwarmCounts Counts);
