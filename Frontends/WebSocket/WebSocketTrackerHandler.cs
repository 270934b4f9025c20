using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.WebSockets;

namespace OrleansTracker.Frontends.WebSocket;

/// <summary>
/// The WebTorrent tracker on a WebSocket: accepts the upgrade on <c>/</c>, <c>/announce</c> or
/// <c>/announce/{key}</c>, then reads messages one at a time (the next is read once the previous is
/// answered, so one connection never has more than one request in the cluster).
/// </summary>
public sealed partial class WebSocketTrackerHandler(
    TorrentReferences torrents,
    ITrackerLogic logic,
    WebSocketConnections connections,
    IWebSocketRelay relay,
    WebSocketStatistics statistics,
    WebSocketTrackerOptions options,
    ILogger<WebSocketTrackerHandler> logger)
{
    /// <summary>Serves one HTTP request that arrived on a WebSocket tracker port.</summary>
    public async Task Serve(HttpContext context)
    {
        if (!TryReadKey(context.Request.Path, out var key))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync("WebTorrent tracker: connect with a WebSocket\n");
            return;
        }
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false });
        var address = context.Connection.RemoteIpAddress!;
        var remote = PeerEndpoint.FromIPAddress(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, (ushort)context.Connection.RemotePort);
        var forwarded = context.Request.Headers["X-Forwarded-For"];
        var connection = new WebSocketPeerConnection(
            connections.NextId(), socket, remote, forwarded.Count == 0 ? null : forwarded[^1], key, options);
        if (connections.TryAdd(connection) is { } refused)
        {
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, refused);
            await DrainUntilClosed(socket);
            return;
        }
        statistics.Connected(connection.IsIPv4);
        try
        {
            await ReceiveLoop(connection, context.RequestAborted);
        }
        finally
        {
            connections.Remove(connection);
            statistics.Closed();
            LeaveSwarms(connection);
        }
    }

    /// <summary><c>/</c> and <c>/announce</c> carry no key; <c>/announce/{key}</c> one (private modes).</summary>
    private static bool TryReadKey(PathString path, out string? key)
    {
        key = null;
        var value = path.Value ?? "/";
        if (value is "/" or "" or "/announce" or "/announce/")
            return true;
        if (!value.StartsWith("/announce/", StringComparison.Ordinal) || value.IndexOf('/', 10) >= 0)
            return false;
        key = value[10..];
        return true;
    }

    private async Task ReceiveLoop(WebSocketPeerConnection connection, CancellationToken aborted)
    {
        var socket = connection.Socket;
        while (socket.State == WebSocketState.Open)
        {
            // Wait for the next frame without holding a buffer: an idle connection keeps none.
            var peek = await socket.ReceiveAsync(Memory<byte>.Empty, aborted);
            if (peek.MessageType == WebSocketMessageType.Close)
                break;
            var buffer = ArrayPool<byte>.Shared.Rent(options.MaxMessageBytes + 1);
            try
            {
                var (length, type, tooBig) = await ReceiveMessage(socket, buffer, peek, aborted);
                if (type == WebSocketMessageType.Close)
                    break;
                if (tooBig)
                {
                    await connection.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message larger than {options.MaxMessageBytes} bytes");
                    break;
                }
                if (!connection.TakeMessageToken())
                {
                    await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many messages per second");
                    break;
                }
                if (type == WebSocketMessageType.Binary)
                    Fail(connection, "binary frames are not accepted: send JSON text");
                else if (!await Handle(connection, buffer.AsMemory(0, length)))
                    break;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        await DrainUntilClosed(socket);
    }

    /// <summary>Reads one message into the buffer; a message larger than the limit is read no further.</summary>
    private async Task<(int Length, WebSocketMessageType Type, bool TooBig)> ReceiveMessage(
        System.Net.WebSockets.WebSocket socket, byte[] buffer, ValueWebSocketReceiveResult first, CancellationToken aborted)
    {
        var length = 0;
        var result = first;
        if (first.EndOfMessage)
            return (0, first.MessageType, false);   // an empty message: the wait read all of it
        do
        {
            if (length > options.MaxMessageBytes)
                return (length, result.MessageType, true);
            result = await socket.ReceiveAsync(buffer.AsMemory(length), aborted);
            if (result.MessageType == WebSocketMessageType.Close)
                return (0, WebSocketMessageType.Close, false);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return (length, result.MessageType, length > options.MaxMessageBytes);
    }

    /// <summary>After a close (ours or theirs), reads until the socket is done, bounded by a timeout.</summary>
    private static async Task DrainUntilClosed(System.Net.WebSockets.WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var scratch = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(scratch.AsMemory(), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            socket.Abort();
        }
    }

    /// <summary>Every swarm this connection's peers joined drops them (one one-way call each).</summary>
    private void LeaveSwarms(WebSocketPeerConnection connection)
    {
        var self = new WebSocketConnection(relay.LocalSilo, connection.Id);
        foreach (var (hash, peer) in connection.MarkClosed())
        {
            try
            {
                _ = torrents.WebSocketSwarm(hash).LeaveWebSocket(peer, self).AsTask();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The peer then expires at peer_timeout, as any peer that stops announcing.
                logger.LogDebug(e, "Could not remove WebSocket peer {PeerId} from {InfoHash}", peer, hash);
            }
        }
    }
}
