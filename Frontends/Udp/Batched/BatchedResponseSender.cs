using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Frontends.Udp.Batched;

/// <summary>
/// Queues finished responses and sends them with sendmmsg, up to <see cref="BatchSize"/> per call.
/// The first response queued schedules one flush on the thread pool; the flush drains the queue in
/// full batches and sends the remainder as soon as the queue is empty, so an idle tracker adds one
/// thread-pool hop of latency and never waits for a batch to fill. Responses that finish while the
/// grain turns ahead of the flush run are sent together. The queue cannot grow without bound:
/// every queued response holds a rented scratch, so it never holds more than the pool's in-flight cap.
/// </summary>
internal sealed class BatchedResponseSender : IUdpResponseSender, IThreadPoolWorkItem
{
    public const int BatchSize = 32;

    private readonly Socket _socket;
    private readonly UdpScratchPool _pool;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly UdpScratch?[] _queue;
    private readonly MessageVector _vector = new(BatchSize);
    private readonly UdpScratch[] _sending = new UdpScratch[BatchSize];
    private int _head;
    private int _count;
    private bool _flushScheduled;

    public BatchedResponseSender(Socket socket, UdpScratchPool pool, ILogger logger)
    {
        _socket = socket;
        _pool = pool;
        _logger = logger;
        _queue = new UdpScratch?[pool.Capacity];
    }

    public void Send(UdpScratch scratch, int length)
    {
        if (length <= 0)
        {
            _pool.Return(scratch);
            return;
        }
        scratch.ResponseLength = length;
        bool schedule;
        lock (_lock)
        {
            // Cannot be full: the queue has a slot for every scratch the pool can hand out.
            _queue[(_head + _count) % _queue.Length] = scratch;
            _count++;
            schedule = !_flushScheduled;
            _flushScheduled = true;
        }
        if (schedule)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>The flush: runs on the thread pool until the queue is empty.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            int taken;
            lock (_lock)
            {
                taken = Math.Min(_count, BatchSize);
                if (taken == 0)
                {
                    _flushScheduled = false;
                    return;
                }
                for (var i = 0; i < taken; i++)
                {
                    _sending[i] = _queue[_head]!;
                    _queue[_head] = null;
                    _head = (_head + 1) % _queue.Length;
                }
                _count -= taken;
            }
            SendBatch(taken);
        }
    }

    private void SendBatch(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var scratch = _sending[i];
            _vector.Set(i, scratch.NativeAddressAddress, scratch.NativeAddressLength, scratch.ResponseAddress, scratch.ResponseLength);
        }
        var sent = 0;
        while (sent < count)
        {
            int result;
            try
            {
                result = _vector.Send(_socket.SafeHandle, sent, count - sent);
            }
            catch (ObjectDisposedException)
            {
                break; // stopping: the rest are lost, as with any send on a closed socket
            }
            if (result > 0)
            {
                sent += result;
                continue;
            }
            var error = Marshal.GetLastPInvokeError();
            if (result < 0 && error == LinuxDatagramCalls.EIntr)
                continue;
            // The first remaining response failed (an ICMP error queued by an earlier send, a full
            // buffer): lose that one response and go on with the rest.
            _logger.LogDebug("UDP sendmmsg error: errno {Error}", error);
            sent++;
        }
        for (var i = 0; i < count; i++)
        {
            _pool.Return(_sending[i]);
            _sending[i] = null!;
        }
    }
}
