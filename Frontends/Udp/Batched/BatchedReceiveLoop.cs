using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Routing;

namespace OrleansTracker.Frontends.Udp.Batched;

/// <summary>
/// Reads up to <see cref="BatchSize"/> datagrams per recvmmsg on a dedicated thread. The first
/// entries of the vector point at scratches rented from the pool ahead of time; the rest point at
/// one drop buffer, so when every scratch is in flight the kernel queue is still drained and the
/// excess is dropped (load shedding), never queued. Rented-but-empty scratches count against
/// udp_max_in_flight, so the bound holds exactly.
/// </summary>
internal sealed class BatchedReceiveLoop
{
    /// <summary>Datagrams per recvmmsg; a burst larger than this takes a second call.</summary>
    public const int BatchSize = 32;

    private readonly Socket _socket;
    private readonly UdpRequestDispatch _dispatch;
    private readonly ILogger _logger;
    private readonly MessageVector _vector = new(BatchSize);
    private readonly UdpScratch[] _armed = new UdpScratch[BatchSize];
    private readonly UdpScratch _drop;
    private int _armedCount;

    public BatchedReceiveLoop(Socket socket, UdpRequestDispatch dispatch, ILogger logger)
    {
        _socket = socket;
        _dispatch = dispatch;
        _logger = logger;
        _drop = new UdpScratch(socket.AddressFamily, 0);
    }

    public void Run(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                Arm();
                // At the cap, do not block on an all-drop vector: a scratch freed while blocked
                // would sit unused while the next datagrams are thrown away. Shed what is queued
                // now and look for a free scratch again shortly.
                var exhausted = _armedCount == 0;
                int received;
                try
                {
                    received = _vector.Receive(_socket.SafeHandle, BatchSize,
                        exhausted ? LinuxDatagramCalls.MsgDontWait : LinuxDatagramCalls.MsgWaitForOne);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                if (received < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (stopping.IsCancellationRequested)
                        return;
                    if (exhausted && error == LinuxDatagramCalls.EAgain)
                    {
                        // Nothing to shed: wait for the grain calls in flight to finish (overload only).
                        Thread.Sleep(1);
                        continue;
                    }
                    // EAGAIN is the receive timeout that lets the loop see a stop request.
                    if (error is not (LinuxDatagramCalls.EIntr or LinuxDatagramCalls.EAgain))
                    {
                        _logger.LogDebug("UDP recvmmsg error: errno {Error}", error);
                        Thread.Sleep(1); // a persistent error must not spin a core
                    }
                    continue;
                }
                Deliver(received);
            }
        }
        finally
        {
            for (var i = 0; i < _armedCount; i++)
                _dispatch.Pool.Return(_armed[i]);
            _armedCount = 0;
        }
    }

    /// <summary>Tops the armed scratches up from the pool and points the vector at them, then at the drop buffer.</summary>
    private void Arm()
    {
        var pool = _dispatch.Pool;
        while (_armedCount < BatchSize && pool.TryRent(out var scratch))
            _armed[_armedCount++] = scratch;
        for (var i = 0; i < _armedCount; i++)
        {
            var scratch = _armed[i];
            _vector.Set(i, scratch.NativeAddressAddress, UdpScratch.NativeAddressCapacity, scratch.ReceiveAddress, UdpScratch.ReceiveBufferLength);
        }
        for (var i = _armedCount; i < BatchSize; i++)
            _vector.Set(i, _drop.NativeAddressAddress, UdpScratch.NativeAddressCapacity, _drop.ReceiveAddress, UdpScratch.ReceiveBufferLength);
    }

    private void Deliver(int received)
    {
        var pool = _dispatch.Pool;
        var consumed = Math.Min(received, _armedCount);
        // Announces for other silos' torrents wait until the whole receive batch is handled, then
        // leave in one message per silo.
        RoutingBatch.Open();
        try
        {
            DispatchAll(consumed);
        }
        finally
        {
            RoutingBatch.Close();
        }
        // Entries beyond the armed ones landed in the drop buffer: shed. Keep the unused armed
        // scratches at the front, in order, for the next call.
        if (received > consumed)
            pool.RecordShed(received - consumed);
        Array.Copy(_armed, consumed, _armed, 0, _armedCount - consumed);
        Array.Clear(_armed, _armedCount - consumed, consumed);
        _armedCount -= consumed;
    }

    private void DispatchAll(int consumed)
    {
        var pool = _dispatch.Pool;
        for (var i = 0; i < consumed; i++)
        {
            var scratch = _armed[i];
            var addressLength = _vector.AddressLength(i);
            // A datagram longer than the buffer cannot be a valid request: drop it, as the portable
            // path does (its ReceiveFrom fails with MessageSize).
            if (_vector.Truncated(i) || !SocketAddressReader.TryReadLinux(scratch.NativeAddress, addressLength, out var source))
            {
                pool.Return(scratch);
                continue;
            }
            scratch.NativeAddressLength = addressLength;
            _dispatch.Dispatch(scratch, _vector.Length(i), source);
        }
    }
}
