using Orleans.Runtime;
using OrleansTracker.Grains.Interfaces.WebSockets;

namespace OrleansTracker.Frontends.WebSocket;

/// <summary>
/// The cluster as the WebSocket frontend needs it: this silo's address (half of every connection's
/// cluster-wide name), the silo membership, and delivery to the sockets another silo holds.
/// </summary>
public interface IWebSocketRelay
{
    SiloAddress LocalSilo { get; }

    /// <summary>True when the silo has left the cluster: messages for its sockets are dropped.</summary>
    bool IsGone(SiloAddress silo);

    /// <summary>Hands messages to another silo's sockets (one one-way call; nothing waits for it).</summary>
    void Send(SiloAddress silo, WebSocketDelivery[] messages);
}
