using System.Net.Sockets;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// Reuses the per-request buffers of one socket. The pool is also the socket's bound on requests in
/// flight: when every scratch is busy, new datagrams are dropped (load shedding) instead of queueing
/// grain calls without limit.
/// </summary>
internal sealed class UdpScratchPool(AddressFamily family, int maxResponseLength, int maxInFlight)
{
    private readonly Stack<UdpScratch> _free = new();
    private readonly Lock _lock = new();
    private int _created;

    public bool TryRent(out UdpScratch scratch)
    {
        lock (_lock)
        {
            if (_free.TryPop(out scratch!))
                return true;
            if (_created >= maxInFlight)
                return false;
            _created++;
        }
        scratch = new UdpScratch(family, maxResponseLength);
        return true;
    }

    public void Return(UdpScratch scratch)
    {
        lock (_lock)
            _free.Push(scratch);
    }
}
