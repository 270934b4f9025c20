using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansTracker.Frontends.WebSocket;
using OrleansTracker.Grains.Interfaces.WebSockets;

namespace OrleansTracker.Silo.Hosting.WebSockets;

/// <summary>
/// This silo's end of the WebSocket relay: another silo's frontend sends the offers and answers for
/// sockets held here, and they go straight into those sockets' queues.
/// </summary>
[Reentrant]
internal sealed class WebSocketDeliveryService(GrainId id, Orleans.Runtime.Silo silo, ILoggerFactory loggerFactory, WebSocketConnections connections)
    : GrainService(id, silo, loggerFactory), IWebSocketDeliveryService
{
    public Task Deliver(WebSocketDelivery[] messages)
    {
        connections.Deliver(messages);
        return Task.CompletedTask;
    }
}
