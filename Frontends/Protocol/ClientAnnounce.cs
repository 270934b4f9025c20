using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// The fields of an announce a client chooses, whatever the protocol (UDP, HTTP, WebSocket). No
/// address: every tracker takes the peer's address from the connection.
/// </summary>
/// <param name="NumWant">Peers wanted; -1 leaves the choice to the tracker.</param>
public readonly record struct ClientAnnounce(
    InfoHash InfoHash, PeerId PeerId, long Downloaded, long Left, long Uploaded, AnnounceEvent Event, int Key, int NumWant, ushort Port);
