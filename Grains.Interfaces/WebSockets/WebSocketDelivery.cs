using Orleans;
using Orleans.Services;

namespace OrleansTracker.Grains.Interfaces.WebSockets;

/// <summary>One message for one socket of another silo: a relayed offer or answer, ready to send.</summary>
[GenerateSerializer, Immutable]
public readonly record struct WebSocketDelivery([property: Id(0)] long ConnectionId, [property: Id(1)] byte[] Message);

/// <summary>
/// One per silo (an Orleans grain service, addressed by silo): takes messages for the WebSocket
/// connections that silo holds. Messages for a socket that has closed are dropped and counted.
/// </summary>
public interface IWebSocketDeliveryService : IGrainService
{
    [Orleans.Concurrency.OneWay]
    Task Deliver(WebSocketDelivery[] messages);
}
