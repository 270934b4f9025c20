using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// One bound UDP socket with several concurrent receive loops. Each loop owns its buffers and
/// keeps one request in flight, so the socket has as many grain calls outstanding as it has loops.
/// A [::] socket is dual-stack and serves IPv4 clients too.
/// </summary>
public sealed class UdpTrackerListener : IHostedService, IAsyncDisposable
{
    private readonly IPEndPoint _bind;
    private readonly UdpRequestHandler _handler;
    private readonly int _loops;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private Socket? _socket;

    internal UdpTrackerListener(IPEndPoint bind, UdpRequestHandler handler, int loops, ILogger logger)
    {
        _bind = bind;
        _handler = handler;
        _loops = Math.Max(1, loops);
        _logger = logger;
    }

    public static UdpTrackerListener Create(
        IPEndPoint bind, Tracking.TrackerGateway gateway, Protocol.ConnectionIdIssuer connectionIds, ILoggerFactory loggers) =>
        new(bind, new UdpRequestHandler(gateway, connectionIds), gateway.Options.UdpReceiveLoops,
            loggers.CreateLogger<UdpTrackerListener>());

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
        for (var i = 0; i < _loops; i++)
            _running.Add(Task.Run(() => ReceiveLoop(socket, _stopping.Token), CancellationToken.None));
        _logger.LogInformation("UDP tracker listening on {Endpoint}", socket.LocalEndPoint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _socket?.Dispose();
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    private async Task ReceiveLoop(Socket socket, CancellationToken stopping)
    {
        var scratch = new UdpScratch(socket.AddressFamily, _handler.MaxResponseLength);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(scratch.Receive, SocketFlags.None, scratch.Address, stopping);
                if (!SocketAddressReader.TryRead(scratch.Address, out var source))
                    continue;
                var length = await _handler.Handle(received, source, scratch);
                if (length > 0)
                    await socket.SendToAsync(scratch.Response.AsMemory(0, length), SocketFlags.None, scratch.Address, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (!stopping.IsCancellationRequested)
            {
                // ICMP errors from earlier sends or a full send buffer: one lost answer, the loop goes on.
                _logger.LogDebug("UDP socket error on {Endpoint}: {Error}", _bind, e.SocketErrorCode);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // A failed grain call (e.g. silo shutting down) loses one answer, never the loop.
                _logger.LogDebug(e, "UDP request failed on {Endpoint}", _bind);
            }
        }
    }
}
