using Orleans.Runtime;
using Orleans.Runtime.Services;
using OrleansTracker.Frontends.WebSocket;
using OrleansTracker.Grains.Interfaces.WebSockets;
using OrleansTracker.Grains.WebSockets;

namespace OrleansTracker.Silo.Hosting.WebSockets;

/// <summary>
/// Delivery to another silo's sockets through its <see cref="WebSocketDeliveryService"/> (a grain
/// service is addressed by silo), and liveness from this silo's membership view: a silo declared
/// dead is gone, and so are its sockets.
/// </summary>
internal sealed class WebSocketRelay(IServiceProvider services, ILocalSiloDetails local, ISiloLiveness liveness)
    : GrainServiceClient<IWebSocketDeliveryService>(services), IWebSocketRelay
{
    public SiloAddress LocalSilo => local.SiloAddress;

    public bool IsGone(SiloAddress silo) => liveness.IsGone(silo);

    public void Send(SiloAddress silo, WebSocketDelivery[] messages) => _ = GetGrainService(silo).Deliver(messages);
}
