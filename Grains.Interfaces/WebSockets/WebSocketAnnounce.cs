using Orleans;

namespace OrleansTracker.Grains.Interfaces.WebSockets;

/// <summary>
/// A WebTorrent announce, as the WebSocket frontend hands it to the torrent's grain. The offers
/// themselves stay in the frontend: the grain only chooses who receives them.
/// </summary>
/// <param name="Endpoint">The socket's remote address and port (shown by the admin API; never handed to other peers).</param>
/// <param name="Left">Bytes left, or -1 when the client does not know yet (a magnet link without metadata).</param>
/// <param name="Offers">Offers to place: the grain picks up to this many other WebSocket peers.</param>
[GenerateSerializer, Immutable]
public readonly record struct WebSocketAnnounce(
    [property: Id(0)] PeerId PeerId,
    [property: Id(1)] WebSocketConnection Connection,
    [property: Id(2)] PeerEndpoint Endpoint,
    [property: Id(3)] long Uploaded,
    [property: Id(4)] long Downloaded,
    [property: Id(5)] long Left,
    [property: Id(6)] AnnounceEvent Event,
    [property: Id(7)] int Offers);

/// <summary>A WebSocket peer chosen to receive one offer.</summary>
[GenerateSerializer, Immutable]
public readonly record struct WebSocketTarget([property: Id(0)] PeerId PeerId, [property: Id(1)] WebSocketConnection Connection);

/// <summary>The swarm's counts after a WebSocket announce, and the peers that get its offers (in offer order).</summary>
/// <param name="Refused">Why the announce was not recorded (a peer id held by another connection, a full swarm); null when it was.</param>
[GenerateSerializer, Immutable]
public sealed record WebSocketAnnounceResult(
    [property: Id(0)] int Seeders,
    [property: Id(1)] int Leechers,
    [property: Id(2)] long Completed,
    [property: Id(3)] WebSocketTarget[] Targets,
    [property: Id(4)] string? Refused = null);
