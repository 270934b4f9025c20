using System.Net;
using System.Net.Sockets;

namespace OrleansTracker.Frontends.Statistics;

/// <summary>
/// This process's WebSocket counters, by the family of the client's address: connections accepted,
/// announces and scrapes handled; and offers and answers relayed, or dropped because their peer had
/// gone (socket closed, silo gone, or too far behind in reading).
/// </summary>
public sealed class WebSocketStatistics
{
    private long _ws4Connections;
    private long _ws4Announces;
    private long _ws4Scrapes;
    private long _ws6Connections;
    private long _ws6Announces;
    private long _ws6Scrapes;
    private long _relayed;
    private long _dropped;
    private long _open;

    public long Ws4Connections => Volatile.Read(ref _ws4Connections);
    public long Ws4Announces => Volatile.Read(ref _ws4Announces);
    public long Ws4Scrapes => Volatile.Read(ref _ws4Scrapes);
    public long Ws6Connections => Volatile.Read(ref _ws6Connections);
    public long Ws6Announces => Volatile.Read(ref _ws6Announces);
    public long Ws6Scrapes => Volatile.Read(ref _ws6Scrapes);
    public long Relayed => Volatile.Read(ref _relayed);
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Connections open now.</summary>
    public long Open => Volatile.Read(ref _open);

    public void Connected(bool ipv4)
    {
        Interlocked.Increment(ref ipv4 ? ref _ws4Connections : ref _ws6Connections);
        Interlocked.Increment(ref _open);
    }

    public void Closed() => Interlocked.Decrement(ref _open);

    public void Announced(bool ipv4) => Interlocked.Increment(ref ipv4 ? ref _ws4Announces : ref _ws6Announces);

    public void Scraped(bool ipv4) => Interlocked.Increment(ref ipv4 ? ref _ws4Scrapes : ref _ws6Scrapes);

    public void Relay(int count) => Interlocked.Add(ref _relayed, count);

    public void Drop(int count = 1) => Interlocked.Add(ref _dropped, count);

    public static bool IsIPv4(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6;
}
