namespace OrleansTracker.Silo.Config;

/// <summary>The rules between top-level keys, and between sections, checked once everything is read.</summary>
internal static class TrackerConfigRules
{
    public const int MaxNumwantLimit = 200;

    public static void Check(TrackerConfig config, ConfigChecks checks)
    {
        if (config.DefaultNumwant > config.MaxNumwant)
            throw checks.Error(config, "default_numwant", $"{config.DefaultNumwant} is more than max_numwant ({config.MaxNumwant})");
        if (config.AnnounceIntervalMin > config.AnnounceInterval)
        {
            throw checks.Error(config, "announce_interval_min",
                $"{config.AnnounceIntervalMin.TotalSeconds} seconds is more than announce_interval ({config.AnnounceInterval.TotalSeconds} seconds)");
        }
        // A peer announces once per interval; a shorter timeout would drop it before its next announce.
        if (config.PeerTimeout < config.AnnounceInterval)
        {
            throw checks.Error(config, "peer_timeout",
                $"{config.PeerTimeout.TotalSeconds} seconds is less than announce_interval ({config.AnnounceInterval.TotalSeconds} seconds): "
                + "peers would be dropped between their own announces; raise peer_timeout or lower announce_interval",
                lineKey: "announce_interval");
        }
        if (DbConnectionStrings.Validate(config.DbDriver, config.DbPath) is { } dbProblem)
            throw checks.Error(config, "db_path", dbProblem);
        CheckClusterAgainstStorage(config, checks);
        CheckWebSockets(config, checks);
        ListenerRules.Check(checks);
    }

    private static void CheckClusterAgainstStorage(TrackerConfig config, ConfigChecks checks)
    {
        var cluster = config.Cluster;
        CheckClusterTls(cluster, checks);
        // Pods come and go with new addresses: only a shared membership table lets them find each other.
        if (cluster.Kubernetes && (cluster.Mode != ClusterMode.AdoNet || cluster.Role != ClusterRole.Silo))
        {
            throw checks.Error(cluster, "kubernetes",
                "needs mode = \"adonet\" and role = \"silo\" (Kubernetes hosting names silos after their pods; membership stays in the database)");
        }
        if (cluster.Mode != ClusterMode.AdoNet)
            return;
        // Silos on several machines must share one membership table; a SQLite file cannot be shared.
        if (config.DbDriver != DbDriver.MySql)
        {
            throw checks.Error(cluster, "mode",
                "\"adonet\" keeps the silo membership table in the MySQL/MariaDB database of db_path, but db_driver is \"sqlite3\"; "
                + "set db_driver = \"mysql\" and db_path = \"mysql://user:pass@host:3306/tracker\" (or use mode = \"localhost\" on one machine)");
        }
        // A frontend only reads the gateway list; a silo also needs the schema installed and its
        // completed counts and reminders in the shared database.
        if (cluster.Role == ClusterRole.Silo && !config.Persistence)
            throw checks.Error(cluster, "mode", "\"adonet\" needs persistence = true: the silos share completed counts, reminders and membership in the database");
        if (cluster.PrimarySilo is not null)
            throw checks.Error(cluster, "primary_silo", "is only used with mode = \"localhost\"; remove it with mode = \"adonet\" (silos find each other in the database)");
    }

    private static void CheckWebSockets(TrackerConfig config, ConfigChecks checks)
    {
        if (!config.WsTrackers.Any(w => w.Enabled))
            return;
        // A client that announces on time must never look idle.
        if (config.Limits.WsIdleTimeout <= config.AnnounceInterval)
        {
            throw checks.Error(config.Limits, "ws_idle_timeout",
                $"{config.Limits.WsIdleTimeout.TotalSeconds} seconds is not more than announce_interval ({config.AnnounceInterval.TotalSeconds} seconds)");
        }
        // A WebSocket peer is reached through the silo holding its socket, and a silo that leaves
        // takes its sockets' peers out of the swarms: both rest on silo membership, which an
        // Orleans client process (role = "frontend") is not part of.
        if (config.Cluster.Role == ClusterRole.Frontend)
        {
            throw checks.Error(config, "ws_trackers",
                "WebSocket listeners run in silos only; remove the [[ws_trackers]] blocks of a role = \"frontend\" process (or set enabled = false)");
        }
    }

    /// <summary>All three paths or none: TLS without a CA would accept any peer, a CA without a certificate could not answer.</summary>
    private static void CheckClusterTls(ClusterConfig cluster, ConfigChecks checks)
    {
        (string Key, string? Path)[] files = [("tls_cert_path", cluster.TlsCertPath), ("tls_key_path", cluster.TlsKeyPath), ("tls_ca_path", cluster.TlsCaPath)];
        if (files.All(f => f.Path is null))
            return;
        foreach (var (key, path) in files)
        {
            if (path is null)
            {
                var given = string.Join(" and ", files.Where(f => f.Path is not null).Select(f => f.Key));
                throw checks.Error(cluster, key, $"is required with {given} (cluster TLS needs all three PEM files)", files.First(f => f.Path is not null).Key);
            }
            if (!File.Exists(path))
                throw checks.Error(cluster, key, $"the file '{path}' does not exist");
        }
    }
}
