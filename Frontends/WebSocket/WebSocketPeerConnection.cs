using System.Net;
using System.Net.WebSockets;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.WebSocket;

/// <summary>
/// One client's socket: its send queue (responses and relayed messages are sent one at a time, in
/// order), the swarms it joined (left when it closes), its message budget and when it last spoke.
/// Everything kept here is bounded by <see cref="WebSocketTrackerOptions"/>.
/// </summary>
internal sealed class WebSocketPeerConnection(
    long id, System.Net.WebSockets.WebSocket socket, PeerEndpoint remote, string? forwardedFor, string? key, WebSocketTrackerOptions options)
{
    private readonly Queue<byte[]> _queue = new();
    private readonly List<(InfoHash Hash, PeerId Peer)> _joined = [];
    private bool _sending;
    private bool _closed;
    private double _tokens = options.MessagesPerSecond * 2;
    private long _lastRefill = Environment.TickCount64;

    public long Id { get; } = id;
    public System.Net.WebSockets.WebSocket Socket { get; } = socket;
    public PeerEndpoint Remote { get; } = remote;
    public IPAddress Address { get; } = remote.ToIPAddress();
    public bool IsIPv4 { get; } = remote.IsIPv4;
    /// <summary>
    /// The last X-Forwarded-For field of the upgrade request (one address, as a proxy appends it),
    /// or null; whether it counts is the seam's rule (on_reverse_proxy), checked per announce.
    /// </summary>
    public string? ForwardedFor { get; } = forwardedFor;

    /// <summary>The key of the URL the client connected to (<c>/announce/{key}</c>), or null.</summary>
    public string? Key { get; } = key;

    /// <summary><see cref="Environment.TickCount64"/> of the last message received.</summary>
    public long LastMessageTicks { get; private set; } = Environment.TickCount64;

    /// <summary>Counts a received message against the per-second budget (a token bucket); false when over it.</summary>
    public bool TakeMessageToken()
    {
        var now = Environment.TickCount64;
        LastMessageTicks = now;
        var rate = options.MessagesPerSecond;
        _tokens = Math.Min(rate * 2.0, _tokens + (now - _lastRefill) * rate / 1000.0);
        _lastRefill = now;
        if (_tokens < 1)
            return false;
        _tokens--;
        return true;
    }

    /// <summary>Queues a message; false (and nothing queued) when the socket closed or too much waits already.</summary>
    public bool Enqueue(byte[] message)
    {
        lock (_queue)
        {
            if (_closed || _queue.Count >= options.MaxQueuedMessages)
                return false;
            _queue.Enqueue(message);
            if (_sending)
                return true;
            _sending = true;
        }
        _ = SendQueued();
        return true;
    }

    private async Task SendQueued()
    {
        while (true)
        {
            byte[] message;
            lock (_queue)
            {
                if (_closed || !_queue.TryDequeue(out message!))
                {
                    _sending = false;
                    return;
                }
            }
            try
            {
                await Socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
            {
                MarkClosed();
                return;
            }
        }
    }

    /// <summary>Stops sending; returns the swarms the connection's peers are in.</summary>
    public List<(InfoHash Hash, PeerId Peer)> MarkClosed()
    {
        lock (_queue)
        {
            _closed = true;
            _queue.Clear();
        }
        lock (_joined)
            return [.. _joined];
    }

    /// <summary>Remembers that a peer of this connection is in a swarm; false when the connection has joined its maximum.</summary>
    public bool Join(InfoHash hash, PeerId peer)
    {
        lock (_joined)
        {
            if (_joined.Contains((hash, peer)))
                return true;
            if (_joined.Count >= options.MaxTorrentsPerConnection)
                return false;
            _joined.Add((hash, peer));
            return true;
        }
    }

    public void Leave(InfoHash hash, PeerId peer)
    {
        lock (_joined)
            _joined.Remove((hash, peer));
    }

    /// <summary>Sends a close frame with a reason (a limit was passed, or idle); the receive loop then ends.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        try
        {
            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await Socket.CloseOutputAsync(status, reason, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // Already gone: the receive loop ends on its own.
        }
    }
}
