using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// One bound UDP socket read by one or more dedicated receive threads. Requests wait on their grain
/// call without holding the thread, up to a bounded number in flight per socket (the scratch pool).
/// A [::] socket is dual-stack and serves IPv4 clients too.
/// </summary>
public sealed class UdpTrackerListener : IHostedService, IAsyncDisposable
{
    private readonly IPEndPoint _bind;
    private readonly UdpRequestHandler _handler;
    private readonly int _loops;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Thread> _threads = [];
    private readonly int _maxInFlight;
    private Socket? _socket;

    internal UdpTrackerListener(IPEndPoint bind, UdpRequestHandler handler, int loops, int maxInFlight, ILogger logger)
    {
        _bind = bind;
        _handler = handler;
        _loops = Math.Max(1, loops);
        _maxInFlight = Math.Max(1, maxInFlight);
        _logger = logger;
    }

    public static UdpTrackerListener Create(
        IPEndPoint bind, Tracking.TrackerGateway gateway, Protocol.ConnectionIdIssuer connectionIds, ILoggerFactory loggers) =>
        new(bind,
            new UdpRequestHandler(gateway, connectionIds,
                new AbuseThrottle(gateway.Options.BadConnectionIdLimit, gateway.Options.BadConnectionIdWindow, TimeProvider.System)),
            gateway.Options.UdpReceiveLoops,
            gateway.Options.UdpMaxInFlight, loggers.CreateLogger<UdpTrackerListener>());

    /// <summary>The bound address (with the real port when the config asked for port 0).</summary>
    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(_bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (_bind.AddressFamily == AddressFamily.InterNetworkV6 && _bind.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            // A deep kernel queue absorbs bursts while the loops are busy with grain calls.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 4 * 1024 * 1024;
            socket.Bind(_bind);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"UDP tracker cannot listen on {_bind}: {e.Message}", e);
        }
        _socket = socket;
        var pool = new UdpScratchPool(socket.AddressFamily, _handler.MaxResponseLength, _maxInFlight);
        for (var i = 0; i < _loops; i++)
        {
            var thread = new Thread(() => ReceiveLoop(socket, pool, _stopping.Token))
            {
                IsBackground = true,
                Name = $"udp {_bind} #{i}",
            };
            _threads.Add(thread);
            thread.Start();
        }
        _logger.LogInformation("UDP tracker listening on {Endpoint}", socket.LocalEndPoint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _socket?.Dispose();
        foreach (var thread in _threads)
            thread.Join(TimeSpan.FromSeconds(5));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    /// <summary>
    /// A dedicated thread per receive loop does blocking receives: no epoll round trip and no
    /// thread-pool hop per datagram. Connects (and any answer ready without awaiting) are sent from
    /// this thread; announces and scrapes complete on the thread pool when their grain call returns.
    /// </summary>
    private void ReceiveLoop(Socket socket, UdpScratchPool pool, CancellationToken stopping)
    {
        var spare = new UdpScratch(socket.AddressFamily, 0);
        while (!stopping.IsCancellationRequested)
        {
            // Overloaded (every scratch in flight): read into the spare buffer and drop the datagram.
            var rented = pool.TryRent(out var scratch);
            if (!rented)
                scratch = spare;
            int received;
            try
            {
                received = socket.ReceiveFrom(scratch.Receive, SocketFlags.None, scratch.Address);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (rented)
                    pool.Return(scratch);
                if (stopping.IsCancellationRequested)
                    return;
                _logger.LogDebug("UDP receive error on {Endpoint}: {Error}", _bind, e.Message);
                continue;
            }
            if (!rented)
                continue;
            if (!SocketAddressReader.TryRead(scratch.Address, out var source))
            {
                pool.Return(scratch);
                continue;
            }
            ValueTask<int> pending;
            try
            {
                pending = _handler.Handle(received, source, scratch);
            }
            catch (Exception e)
            {
                _logger.LogDebug(e, "UDP request failed on {Endpoint}", _bind);
                pool.Return(scratch);
                continue;
            }
            if (pending.IsCompletedSuccessfully)
            {
                Send(socket, scratch, pending.Result);
                pool.Return(scratch);
            }
            else
            {
                // No async method here: an `async Task` helper allocated a Task box per awaited
                // announce. The scratch keeps the pending answer and a continuation made once.
                scratch.Pending = pending;
                scratch.Completion ??= Completion(socket, pool, scratch);
                pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(scratch.Completion);
            }
        }
    }

    // A separate method so that the closure is created only here, once per scratch, and not per
    // datagram (a lambda in the loop would allocate its captured variables every iteration).
    private Action Completion(Socket socket, UdpScratchPool pool, UdpScratch scratch) => () => Complete(socket, pool, scratch);

    private void Complete(Socket socket, UdpScratchPool pool, UdpScratch scratch)
    {
        var pending = scratch.Pending;
        scratch.Pending = default;
        try
        {
            // GetResult also hands the handler's pooled state machine back to its pool.
            Send(socket, scratch, pending.GetAwaiter().GetResult());
        }
        catch (Exception e)
        {
            // A failed grain call (e.g. the silo shutting down) loses one answer, never the loop.
            _logger.LogDebug(e, "UDP request failed on {Endpoint}", _bind);
        }
        finally
        {
            pool.Return(scratch);
        }
    }

    private void Send(Socket socket, UdpScratch scratch, int length)
    {
        if (length <= 0)
            return;
        try
        {
            socket.SendTo(scratch.Response.AsSpan(0, length), SocketFlags.None, scratch.Address);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A full send buffer or an ICMP error from an earlier send: one lost answer.
            _logger.LogDebug("UDP send error on {Endpoint}: {Error}", _bind, e.Message);
        }
    }
}
