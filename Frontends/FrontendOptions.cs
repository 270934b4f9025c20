using System.Net;
using OrleansTracker.Frontends.Protocol;

namespace OrleansTracker.Frontends;

/// <summary>What the UDP and HTTP frontends need from config.toml.</summary>
public sealed class FrontendOptions
{
    /// <summary>announce_interval: the "interval" clients are told to wait between announces.</summary>
    public int AnnounceIntervalSeconds { get; init; } = 120;

    /// <summary>announce_interval_min: HTTP "min interval".</summary>
    public int AnnounceIntervalMinSeconds { get; init; } = 120;

    /// <summary>external_ip: replaces a loopback source address, for a tracker tested on one host.</summary>
    public IPAddress? ExternalIp { get; init; }

    /// <summary>on_reverse_proxy: take the client address from the right-most X-Forwarded-For.</summary>
    public bool OnReverseProxy { get; init; }

    /// <summary>max_scrape_hashes: hashes answered per HTTP scrape (UDP is bounded by BEP 15's packet format).</summary>
    public int MaxScrapeHashes { get; init; } = UdpLayout.MaxScrapeHashes;

    /// <summary>max_numwant: sizes the response buffers.</summary>
    public int MaxNumWant { get; init; } = 74;

    /// <summary>
    /// Requests one UDP socket keeps in flight (waiting on grain calls). Beyond it datagrams are
    /// dropped: an overloaded tracker sheds load instead of queueing without bound.
    /// </summary>
    public int UdpMaxInFlight { get; init; } = 1024;

    /// <summary>
    /// Read and answer UDP with recvmmsg/sendmmsg on Linux (a batch of datagrams per syscall);
    /// false, or any other platform, uses one ReceiveFrom/SendTo per datagram.
    /// </summary>
    public bool UdpBatchedSyscalls { get; init; } = true;

    /// <summary>Modes private and private_listed: announces need a valid key in the path.</summary>
    public bool RequireKey { get; init; }

    /// <summary>Modes listed and private_listed: only whitelisted torrents are tracked.</summary>
    public bool RequireWhitelist { get; init; }

    /// <summary>How often each process polls the whitelist and key grains for changes.</summary>
    public TimeSpan AccessRefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Bad UDP connection ids one address may send per <see cref="BadConnectionIdWindow"/> before
    /// its datagrams are dropped for the rest of the window; 0 never drops.
    /// </summary>
    public int BadConnectionIdLimit { get; init; } = 10;

    public TimeSpan BadConnectionIdWindow { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>announces_per_address_per_minute: announces one address (IPv6: /64) may make per minute; 0 sets no limit.</summary>
    public int AnnouncesPerAddressPerMinute { get; init; }
}
