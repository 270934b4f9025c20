using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Protocol;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// The effective configuration, read from <c>config.toml</c> by <see cref="ConfigLoader"/>, and the
/// declaration of its top-level keys (see <see cref="ConfigKeyAttribute"/>; key names follow Torrust's).
/// Every property's initializer is the value a missing key takes, so <c>new TrackerConfig()</c> is the
/// configuration of an empty file.
/// </summary>
public sealed class TrackerConfig : IConfigRules
{
    [ConfigBanner("Logging")]
    [ConfigKey("log_level", """
        Least severe messages written: "trace", "debug", "info", "warn", "error", "critical" or "off".
        Per-request messages are "debug" or below, so keep "info" or above under load.
        """)]
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    [ConfigKey("log_format", """
        How messages are written to standard output: "text" (one line each) or "json" (one JSON object
        per line, for log shippers). Tokens and keys are masked in both.
        """)]
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    [ConfigBanner("Access")]
    [ConfigKey("mode", """
        Who may use the tracker: "public" (any torrent), "listed" (whitelisted torrents only),
        "private" (clients need a key) or "private_listed" (whitelisted torrents and a key).
        """)]
    public TrackerMode Mode { get; init; } = TrackerMode.Public;

    [ConfigBanner("Storage")]
    [ConfigKey("db_driver", """
        Database engine: "sqlite3" or "mysql".
        """)]
    public DbDriver DbDriver { get; init; } = DbDriver.Sqlite3;

    /// <summary>See <see cref="GetDbConnectionString"/>.</summary>
    [ConfigKey("db_path", """
        sqlite3: the database file, relative to the working directory unless absolute.
        mysql: a URL such as "mysql://user:pass@host:3306/tracker", or a connection string such as
        "Server=host;Database=tracker;User ID=user;Password=pass".
        """, HasPassword = true)]
    public string DbPath { get; init; } = "data.db";

    [ConfigKey("persistence", """
        Keep completed counts in the database: true or false (false: in memory, lost on restart).
        The whitelist and keys of the listed and private modes are kept in the database either way.
        """)]
    public bool Persistence { get; init; } = true;

    [ConfigKey("persistence_interval", "How often completed counts are written to the database, in seconds (at least 1).")]
    public TimeSpan PersistenceInterval { get; init; } = TimeSpan.FromSeconds(60);

    [ConfigBanner("Swarms")]
    [ConfigKey("cleanup_interval", "How often peers that stopped announcing are removed, in seconds (at least 1).")]
    public TimeSpan CleanupInterval { get; init; } = TimeSpan.FromSeconds(600);

    [ConfigKey("cleanup_peerless", "During cleanup, also forget torrents that have no peers left: true or false.")]
    public bool CleanupPeerless { get; init; } = true;

    /// <summary>At most 7 days: peer times are kept as 32-bit millisecond offsets (Grains' SwarmOptions).</summary>
    [ConfigKey("peer_timeout", """
        A peer not heard from for this long is dropped, in seconds (announce_interval to 604800, 7 days).
        """, Max = 604_800)]
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(900);

    [ConfigKey("announce_interval", """
        How long clients are told to wait between announces ("interval"), in seconds (at least 1).
        """)]
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(120);

    [ConfigKey("announce_interval_min", """
        The least time clients must wait between announces ("min interval"), in seconds
        (1 to announce_interval).
        """)]
    public TimeSpan AnnounceIntervalMin { get; init; } = TimeSpan.FromSeconds(120);

    [ConfigKey("default_numwant", """
        Peers returned when a client does not say how many it wants (1 to max_numwant).
        """, Max = TrackerConfigRules.MaxNumwantLimit)]
    public int DefaultNumwant { get; init; } = 50;

    [ConfigKey("max_numwant", "The most peers returned by one announce (1 to 200).", Max = TrackerConfigRules.MaxNumwantLimit)]
    public int MaxNumwant { get; init; } = 74;

    [ConfigKey("max_scrape_hashes", """
        The most info hashes in one HTTP scrape (1 to 300); UDP scrapes hold at most 74 by their format.
        """, Max = 300)]
    public int MaxScrapeHashes { get; init; } = UdpLayout.MaxScrapeHashes;

    [ConfigBanner("Network")]
    [ConfigKey("external_ip", """
        This host's public IP address, given to other peers instead of the address of a peer that
        announces from the tracker's own host (loopback). Unset by default; remove the "#" to set it.
        """, Example = "203.0.113.7")]
    public IPAddress? ExternalIp { get; init; }

    [ConfigKey("on_reverse_proxy", """
        Behind a reverse proxy: take the client's address from the X-Forwarded-For header: true or false.
        Enable only when a proxy always sets it, or clients can forge their address.
        """)]
    public bool OnReverseProxy { get; init; }

    [ConfigBanner("UDP tracker (BEP 15)", Tight = true)]
    [ConfigKey("udp_batched_syscalls", """
        On Linux, read and answer UDP in batches (recvmmsg/sendmmsg, up to 32 datagrams per system
        call): true or false. false, and any other platform, uses one system call per datagram.
        """)]
    public bool UdpBatchedSyscalls { get; init; } = true;

    [ConfigKey("udp_trackers", """
        One [[udp_trackers]] block per listener. With no block, one listener on [::]:6969 starts;
        set enabled = false to run without UDP.
        """)]
    public ImmutableArray<UdpTrackerConfig> UdpTrackers { get; init; } = [new UdpTrackerConfig()];

    [ConfigBanner("HTTP tracker (BEP 3, BEP 23 compact peers)", Tight = true)]
    [ConfigKey("http_trackers", """
        One [[http_trackers]] block per listener. With no block, one listener on [::]:7070 starts;
        set enabled = false to run without HTTP. On these listeners a malformed Host header (such as
        libtorrent's "Host: ::1:7070" for http://[::1]:7070) is ignored, never refused.
        """)]
    public ImmutableArray<HttpTrackerConfig> HttpTrackers { get; init; } = [new HttpTrackerConfig()];

    [ConfigBanner("WebTorrent tracker (WebSocket signalling for browser peers)", Tight = true)]
    [ConfigKey("ws_trackers", """
        One [[ws_trackers]] block per listener, each with enabled = true to start (off by default).
        WebSocket peers are introduced to each other across the whole cluster, never to UDP/HTTP peers.
        Silos only: a role = "frontend" process cannot hold WebSocket peers.
        """)]
    public ImmutableArray<WsTrackerConfig> WsTrackers { get; init; } = [new WsTrackerConfig()];

    [ConfigBanner("Admin REST API")]
    [ConfigKey("http_api", "")]
    public HttpApiConfig HttpApi { get; init; } = new();

    [ConfigBanner("Health-check API")]
    [ConfigKey("health_check_api", "")]
    public HealthCheckApiConfig HealthCheckApi { get; init; } = new();

    [ConfigBanner("Orleans cluster")]
    [ConfigKey("cluster", "")]
    public ClusterConfig Cluster { get; init; } = new();

    [ConfigBanner("Dashboard")]
    [ConfigKey("dashboard", "")]
    public DashboardConfig Dashboard { get; init; } = new();

    [ConfigBanner("Limits")]
    [ConfigKey("limits", "")]
    public LimitsConfig Limits { get; init; } = new();

    /// <summary>The ADO.NET connection string for <see cref="DbDriver"/>: <c>Data Source=…</c> for SQLite; a
    /// <c>mysql://</c> URL converted, or the connection string as written, for MySQL.</summary>
    public string GetDbConnectionString() => DbConnectionStrings.ToAdoNet(DbDriver, DbPath);

    void IConfigRules.Check(ConfigChecks checks) => TrackerConfigRules.Check(this, checks);
}
