using System.Net;
using System.Net.Sockets;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Statistics;

/// <summary>
/// This process's request counters (Torrust's twelve) and request latencies, written by the UDP and
/// HTTP handlers with one call each. Interlocked increments only: nothing on the announce path
/// waits or allocates. Counts are for requests answered; malformed ones are not counted.
/// </summary>
/// <param name="memoryCaps">What the silo dropped to stay under its memory caps, published with the request counters (a
/// frontend-only process has none).</param>
public sealed class TrackerStatistics(MemoryCapCounters memoryCaps)
{
    public TrackerStatistics()
        : this(new MemoryCapCounters())
    {
    }

    private long _tcp4Connections, _tcp4Announces, _tcp4Scrapes;
    private long _tcp6Connections, _tcp6Announces, _tcp6Scrapes;
    private long _udp4Connections, _udp4Announces, _udp4Scrapes;
    private long _udp6Connections, _udp6Announces, _udp6Scrapes;
    private long _announcesRateLimited, _peersPerAddressRefused;

    /// <summary>Identifies this process's counters in the cluster-wide sum.</summary>
    public Guid ProcessId { get; } = Guid.NewGuid();

    /// <summary>The WebSocket tracker's counters (zero where it does not run).</summary>
    public WebSocketStatistics WebSockets { get; } = new();

    public LatencyHistogram UdpAnnounceLatency { get; } = new();
    public LatencyHistogram UdpScrapeLatency { get; } = new();
    public LatencyHistogram HttpAnnounceLatency { get; } = new();
    public LatencyHistogram HttpScrapeLatency { get; } = new();

    public void UdpConnected(bool ipv4) => Interlocked.Increment(ref ipv4 ? ref _udp4Connections : ref _udp6Connections);

    /// <param name="ipv4">The client's family (an IPv4-mapped IPv6 source counts as IPv4).</param>
    /// <param name="startTimestamp">When the request was read, for the latency histogram.</param>
    public void UdpAnnounced(bool ipv4, long startTimestamp)
    {
        Interlocked.Increment(ref ipv4 ? ref _udp4Announces : ref _udp6Announces);
        UdpAnnounceLatency.ObserveSince(startTimestamp);
    }

    public void UdpScraped(bool ipv4, long startTimestamp)
    {
        Interlocked.Increment(ref ipv4 ? ref _udp4Scrapes : ref _udp6Scrapes);
        UdpScrapeLatency.ObserveSince(startTimestamp);
    }

    /// <summary>An HTTP announce answered: Torrust counts it as a tcp announce and a tcp connection.</summary>
    public void HttpAnnounced(bool ipv4, long startTimestamp)
    {
        Interlocked.Increment(ref ipv4 ? ref _tcp4Announces : ref _tcp6Announces);
        Interlocked.Increment(ref ipv4 ? ref _tcp4Connections : ref _tcp6Connections);
        HttpAnnounceLatency.ObserveSince(startTimestamp);
    }

    public void HttpScraped(bool ipv4, long startTimestamp)
    {
        Interlocked.Increment(ref ipv4 ? ref _tcp4Scrapes : ref _tcp6Scrapes);
        Interlocked.Increment(ref ipv4 ? ref _tcp4Connections : ref _tcp6Connections);
        HttpScrapeLatency.ObserveSince(startTimestamp);
    }

    /// <summary>An announce refused by announces_per_address_per_minute.</summary>
    public void AnnounceRateLimited() => Interlocked.Increment(ref _announcesRateLimited);

    /// <summary>An announce its swarm refused by peers_per_address_per_swarm.</summary>
    public void PeersPerAddressRefused() => Interlocked.Increment(ref _peersPerAddressRefused);

    /// <summary>IPv4, or IPv4 seen through a dual-stack socket as ::ffff:a.b.c.d.</summary>
    public static bool IsIPv4(IPAddress? client) =>
        client is not null && (client.AddressFamily == AddressFamily.InterNetwork || client.IsIPv4MappedToIPv6);

    public ProtocolCounters Snapshot() => new(
        Volatile.Read(ref _tcp4Connections), Volatile.Read(ref _tcp4Announces), Volatile.Read(ref _tcp4Scrapes),
        Volatile.Read(ref _tcp6Connections), Volatile.Read(ref _tcp6Announces), Volatile.Read(ref _tcp6Scrapes),
        Volatile.Read(ref _udp4Connections), Volatile.Read(ref _udp4Announces), Volatile.Read(ref _udp4Scrapes),
        Volatile.Read(ref _udp6Connections), Volatile.Read(ref _udp6Announces), Volatile.Read(ref _udp6Scrapes),
        memoryCaps.SwarmsEvicted,
        memoryCaps.PeersEvicted,
        memoryCaps.TorrentsUnlisted,
        WebSockets.Ws4Connections, WebSockets.Ws4Announces, WebSockets.Ws4Scrapes,
        WebSockets.Ws6Connections, WebSockets.Ws6Announces, WebSockets.Ws6Scrapes,
        WebSockets.Relayed,
        WebSockets.Dropped,
        Volatile.Read(ref _announcesRateLimited),
        Volatile.Read(ref _peersPerAddressRefused));
}
