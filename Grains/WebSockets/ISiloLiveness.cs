using Orleans.Runtime;

namespace OrleansTracker.Grains.WebSockets;

/// <summary>
/// Whether a silo has left the cluster, from this silo's own view of the membership (no call): the
/// swarms drop the WebSocket peers whose sockets were held by a silo that is gone.
/// </summary>
public interface ISiloLiveness
{
    bool IsGone(SiloAddress silo);
}
