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
    private long _shed;

    /// <summary>The most scratches this pool hands out at once: the socket's in-flight cap.</summary>
    public int Capacity => maxInFlight;

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

    /// <summary>Datagrams dropped because every scratch was in flight.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    public void RecordShed(int datagrams) => Interlocked.Add(ref _shed, datagrams);

    public void Return(UdpScratch scratch)
    {
        lock (_lock)
            _free.Push(scratch);
    }
}
