using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Protocol;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// The effective configuration, read from <c>config.toml</c> by <see cref="ConfigLoader"/>. Key names follow
/// Torrust's; every property defaults to the value a missing key takes, so <c>new TrackerConfig()</c> is the
/// configuration of an empty file.
/// </summary>
public sealed class TrackerConfig
{
    /// <summary><c>log_level</c>: trace|debug|info|warn|error|critical|off.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>log_format</c>: text (one line per message) or json (one object per line).</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary><c>mode</c>: public|listed|private|private_listed.</summary>
    public TrackerMode Mode { get; init; } = TrackerMode.Public;

    /// <summary><c>db_driver</c>: sqlite3|mysql.</summary>
    public DbDriver DbDriver { get; init; } = DbDriver.Sqlite3;

    /// <summary><c>db_path</c>: SQLite file, or MySQL URL / connection string. See <see cref="GetDbConnectionString"/>.</summary>
    public string DbPath { get; init; } = "data.db";

    /// <summary><c>persistence</c>: false keeps everything in memory.</summary>
    public bool Persistence { get; init; } = true;

    /// <summary><c>persistence_interval</c>: how often completed counts are written.</summary>
    public TimeSpan PersistenceInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>cleanup_interval</c>: how often expired peers are removed.</summary>
    public TimeSpan CleanupInterval { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary><c>cleanup_peerless</c>: also drop torrents left without peers during cleanup.</summary>
    public bool CleanupPeerless { get; init; } = true;

    /// <summary><c>external_ip</c>: the tracker host's public address, given to other peers in place of a
    /// peer announcing from loopback (the tracker's own host); null when unset.</summary>
    public IPAddress? ExternalIp { get; init; }

    /// <summary><c>announce_interval</c>: the <c>interval</c> told to clients.</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>announce_interval_min</c>: the <c>min interval</c> told to clients; never above
    /// <see cref="AnnounceInterval"/>.</summary>
    public TimeSpan AnnounceIntervalMin { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>peer_timeout</c>: a peer not heard from for this long is dropped.</summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary><c>on_reverse_proxy</c>: take the client address from <c>X-Forwarded-For</c>.</summary>
    public bool OnReverseProxy { get; init; }

    /// <summary><c>udp_batched_syscalls</c>: on Linux, recvmmsg/sendmmsg batches instead of one system call per datagram.</summary>
    public bool UdpBatchedSyscalls { get; init; } = true;

    /// <summary><c>default_numwant</c>: peers returned when the client does not ask for a number.</summary>
    public int DefaultNumwant { get; init; } = 50;

    /// <summary><c>max_numwant</c>: the most peers returned by one announce.</summary>
    public int MaxNumwant { get; init; } = 74;

    /// <summary><c>max_scrape_hashes</c>: the most info hashes in one HTTP scrape; by default BEP 15's cap
    /// for UDP, so both protocols answer the same scrape alike.</summary>
    public int MaxScrapeHashes { get; init; } = UdpLayout.MaxScrapeHashes;

    /// <summary><c>[[udp_trackers]]</c>: one UDP listener on <c>[::]:6969</c> when the key is absent.</summary>
    public ImmutableArray<UdpTrackerConfig> UdpTrackers { get; init; } = [new UdpTrackerConfig()];

    /// <summary><c>[[http_trackers]]</c>: one HTTP listener on <c>[::]:7070</c> when the key is absent.</summary>
    public ImmutableArray<HttpTrackerConfig> HttpTrackers { get; init; } = [new HttpTrackerConfig()];

    /// <summary><c>[http_api]</c>.</summary>
    public HttpApiConfig HttpApi { get; init; } = new();

    /// <summary><c>[cluster]</c>.</summary>
    public ClusterConfig Cluster { get; init; } = new();

    /// <summary><c>[dashboard]</c>.</summary>
    public DashboardConfig Dashboard { get; init; } = new();

    /// <summary><c>[limits]</c>: abuse caps.</summary>
    public LimitsConfig Limits { get; init; } = new();

    /// <summary>The ADO.NET connection string for <see cref="DbDriver"/>: <c>Data Source=…</c> for SQLite; a
    /// <c>mysql://</c> URL converted, or the connection string as written, for MySQL.</summary>
    public string GetDbConnectionString() => DbConnectionStrings.ToAdoNet(DbDriver, DbPath);
}
