using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using OrleansTracker.Frontends.Statistics;

namespace OrleansTracker.Frontends.WebSocket;

/// <summary>
/// The silo's connection registry: every open WebSocket by number (a relayed offer or answer finds
/// its socket here, whichever silo sent it), the counts per client address for the per-address
/// limit, and the idle check, one timer for all connections.
/// </summary>
public sealed class WebSocketConnections : IDisposable
{
    private readonly ConcurrentDictionary<long, WebSocketPeerConnection> _open = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly WebSocketTrackerOptions _options;
    private readonly WebSocketStatistics _statistics;
    private readonly Timer _idleCheck;
    private long _nextId;

    public WebSocketConnections(WebSocketTrackerOptions options, WebSocketStatistics statistics)
    {
        _options = options;
        _statistics = statistics;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(options.IdleTimeout.TotalMilliseconds / 4, 250, 30_000));
        _idleCheck = new Timer(_ => CloseIdle(), null, period, period);
    }

    public int Count => _open.Count;

    internal long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Registers a connection, or says which limit refuses it.</summary>
    internal string? TryAdd(WebSocketPeerConnection connection)
    {
        lock (_perAddress)
        {
            if (_open.Count >= _options.MaxConnections)
                return "too many connections";
            _perAddress.TryGetValue(connection.Address, out var fromAddress);
            if (fromAddress >= _options.MaxConnectionsPerAddress)
                return "too many connections from this address";
            _perAddress[connection.Address] = fromAddress + 1;
            _open[connection.Id] = connection;
        }
        return null;
    }

    internal void Remove(WebSocketPeerConnection connection)
    {
        lock (_perAddress)
        {
            if (!_open.TryRemove(connection.Id, out _))
                return;
            if (_perAddress[connection.Address] == 1)
                _perAddress.Remove(connection.Address);
            else
                _perAddress[connection.Address]--;
        }
    }

    /// <summary>Queues messages for sockets of this silo; those whose socket has closed (or is too far behind) are dropped and counted.</summary>
    public void Deliver(ReadOnlySpan<Grains.Interfaces.WebSockets.WebSocketDelivery> messages)
    {
        var delivered = 0;
        foreach (var message in messages)
        {
            if (_open.TryGetValue(message.ConnectionId, out var connection) && connection.Enqueue(message.Message))
                delivered++;
        }
        _statistics.Relay(delivered);
        if (delivered < messages.Length)
            _statistics.Drop(messages.Length - delivered);
    }

    internal bool Deliver(long connectionId, byte[] message)
    {
        var ok = _open.TryGetValue(connectionId, out var connection) && connection.Enqueue(message);
        if (ok)
            _statistics.Relay(1);
        else
            _statistics.Drop();
        return ok;
    }

    private void CloseIdle()
    {
        var cutoff = Environment.TickCount64 - (long)_options.IdleTimeout.TotalMilliseconds;
        foreach (var connection in _open.Values)
        {
            if (connection.LastMessageTicks < cutoff)
                _ = connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "idle timeout");
        }
    }

    public void Dispose() => _idleCheck.Dispose();
}
