using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Frontends.Udp.Batched;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// One bound UDP socket read by one dedicated receive thread. Requests wait on their grain
/// call without holding the thread, up to a bounded number in flight per socket (the scratch pool).
/// A [::] socket is dual-stack and serves IPv4 clients too. On Linux the socket is read with
/// recvmmsg and answered with sendmmsg (a batch per syscall); elsewhere, or when that cannot start,
/// with one ReceiveFrom/SendTo per datagram.
/// </summary>
public sealed class UdpTrackerListener : IHostedService, IAsyncDisposable
{
    private readonly IPEndPoint _bind;
    private readonly IUdpRequestHandler _handler;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;
    private readonly int _maxInFlight;
    private readonly bool _batchedSyscalls;
    private Socket? _socket;
    private UdpScratchPool? _pool;
    private int _disposed;

    internal UdpTrackerListener(IPEndPoint bind, IUdpRequestHandler handler, int maxInFlight, ILogger logger, bool batchedSyscalls = true)
    {
        _batchedSyscalls = batchedSyscalls;
        _bind = bind;
        _handler = handler;
        _maxInFlight = Math.Max(1, maxInFlight);
        _logger = logger;
    }

    public static UdpTrackerListener Create(
        IPEndPoint bind, ITrackerLogic logic, FrontendOptions options, TrackerStatistics statistics, ConnectionIdIssuer connectionIds, ILoggerFactory loggers) =>
        new(bind,
            new UdpRequestHandler(logic, options, statistics, connectionIds,
                new AbuseThrottle(options.BadConnectionIdLimit, options.BadConnectionIdWindow, TimeProvider.System)),
            options.UdpMaxInFlight, loggers.CreateLogger<UdpTrackerListener>(), options.UdpBatchedSyscalls);

    /// <summary>The bound address (with the real port when the config asked for port 0).</summary>
    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    /// <summary>Datagrams dropped so far because udp_max_in_flight requests were already in flight.</summary>
    internal long ShedDatagrams => _pool?.Shed ?? 0;

    /// <summary>True when this listener reads and answers with recvmmsg/sendmmsg (Linux), false on the portable path.</summary>
    public bool Batched { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(_bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (_bind.AddressFamily == AddressFamily.InterNetworkV6 && _bind.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            // A deep kernel queue absorbs bursts while the loop is busy with grain calls.
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
        var pool = _pool = new UdpScratchPool(socket.AddressFamily, _handler.MaxResponseLength, _maxInFlight);
        string? portableReason = "udp_batched_syscalls = false";
        Batched = _batchedSyscalls && BatchedSyscalls.TryProbe(socket, out portableReason);
        IUdpResponseSender sender;
        if (Batched)
        {
            // The loop blocks in recvmmsg; a receive timeout lets it notice a stop request even
            // if closing the socket did not wake it.
            socket.ReceiveTimeout = 1000;
            sender = new BatchedResponseSender(socket, pool, _logger);
        }
        else
        {
            sender = new PortableResponseSender(socket, pool, _logger);
        }
        var dispatch = new UdpRequestDispatch(_handler, pool, sender, _logger);
        Action<CancellationToken> run = Batched
            ? new BatchedReceiveLoop(socket, dispatch, _logger).Run
            : new PortableReceiveLoop(socket, dispatch, _logger).Run;
        _thread = new Thread(() => run(_stopping.Token))
        {
            IsBackground = true,
            Name = $"udp {_bind}",
        };
        _thread.Start();
        if (Batched)
            _logger.LogInformation("UDP tracker listening on {Endpoint} (recvmmsg/sendmmsg)", socket.LocalEndPoint);
        else
            _logger.LogInformation("UDP tracker listening on {Endpoint} (one syscall per datagram: {Reason})", socket.LocalEndPoint, portableReason);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _socket?.Dispose();
        _thread?.Join(TimeSpan.FromSeconds(5));
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it once per registration that hands it out (hosted service, health check).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }
}
