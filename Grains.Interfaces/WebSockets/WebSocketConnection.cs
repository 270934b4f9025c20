using Orleans;
using Orleans.Runtime;

namespace OrleansTracker.Grains.Interfaces.WebSockets;

/// <summary>
/// Where a WebSocket peer can be reached: the silo holding its socket and that socket's number
/// there. A silo's address carries its start generation, so a restarted silo never receives
/// messages meant for the sockets of its previous life.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct WebSocketConnection([property: Id(0)] SiloAddress Silo, [property: Id(1)] long Id);
