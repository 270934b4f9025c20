using System.Collections.Immutable;
using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>Maps the TOML tables onto the option types and checks the rules that span several keys.</summary>
internal sealed class TrackerConfigReader
{
    private const int MaxNumwantLimit = 200;
    private const int MaxScrapeHashesLimit = 300;

    private readonly Func<string, bool> _fileExists;
    private readonly List<Listener> _udpListeners = [];
    private readonly List<Listener> _tcpListeners = [];

    public TrackerConfigReader(Func<string, bool> fileExists) => _fileExists = fileExists;

    public TrackerConfig Read(TomlSection root)
    {
        var defaults = new TrackerConfig();
        var maxNumwant = root.GetInt("max_numwant", defaults.MaxNumwant, 1, MaxNumwantLimit);
        var defaultNumwant = root.GetInt("default_numwant", defaults.DefaultNumwant, 1, MaxNumwantLimit);
        if (defaultNumwant > maxNumwant)
            throw root.Error("default_numwant", $"{defaultNumwant} is more than max_numwant ({maxNumwant})");
        var interval = root.GetSeconds("announce_interval", (int)defaults.AnnounceInterval.TotalSeconds);
        var intervalMin = root.GetSeconds("announce_interval_min", (int)defaults.AnnounceIntervalMin.TotalSeconds);
        if (intervalMin > interval)
        {
            throw root.Error("announce_interval_min",
                $"{intervalMin.TotalSeconds} seconds is more than announce_interval ({interval.TotalSeconds} seconds)");
        }
        var dbDriver = root.GetChoice("db_driver", defaults.DbDriver, ConfigValues.DbDrivers);
        var dbPath = root.GetString("db_path", defaults.DbPath);
        if (DbConnectionStrings.Validate(dbDriver, dbPath) is { } dbProblem)
            throw root.Error("db_path", dbProblem);

        // Listeners are read in a fixed order (UDP; HTTP trackers, API, dashboard) so a clash is reported on
        // the later key, which is the one written in the file when the other is a default.
        var udpTrackers = root.GetSectionArray("udp_trackers")?.Select(ReadUdp).ToImmutableArray()
            ?? Defaulted(defaults.UdpTrackers, _udpListeners, u => ("udp_trackers", u.Enabled, u.BindAddress));
        var httpTrackers = root.GetSectionArray("http_trackers")?.Select(ReadHttp).ToImmutableArray()
            ?? Defaulted(defaults.HttpTrackers, _tcpListeners, h => ("http_trackers", h.Enabled, h.BindAddress));
        var config = new TrackerConfig
        {
            LogLevel = root.GetChoice("log_level", defaults.LogLevel, ConfigValues.LogLevels),
            LogFormat = root.GetChoice("log_format", defaults.LogFormat, ConfigValues.LogFormats),
            Mode = root.GetChoice("mode", defaults.Mode, ConfigValues.TrackerModes),
            DbDriver = dbDriver,
            DbPath = dbPath,
            Persistence = root.GetBool("persistence", defaults.Persistence),
            PersistenceInterval = root.GetSeconds("persistence_interval", (int)defaults.PersistenceInterval.TotalSeconds),
            CleanupInterval = root.GetSeconds("cleanup_interval", (int)defaults.CleanupInterval.TotalSeconds),
            CleanupPeerless = root.GetBool("cleanup_peerless", defaults.CleanupPeerless),
            ExternalIp = root.GetOptionalIp("external_ip"),
            AnnounceInterval = interval,
            AnnounceIntervalMin = intervalMin,
            PeerTimeout = root.GetSeconds("peer_timeout", (int)defaults.PeerTimeout.TotalSeconds),
            OnReverseProxy = root.GetBool("on_reverse_proxy", defaults.OnReverseProxy),
            UdpBatchedSyscalls = root.GetBool("udp_batched_syscalls", defaults.UdpBatchedSyscalls),
            DefaultNumwant = defaultNumwant,
            MaxNumwant = maxNumwant,
            MaxScrapeHashes = root.GetInt("max_scrape_hashes", defaults.MaxScrapeHashes, 1, MaxScrapeHashesLimit),
            UdpTrackers = udpTrackers,
            HttpTrackers = httpTrackers,
            HttpApi = ReadApi(root, root.GetSection("http_api")),
            Cluster = ClusterConfigReader.Read(root.GetSection("cluster"), dbDriver, root.GetBool("persistence", defaults.Persistence)),
            Dashboard = ReadDashboard(root, root.GetSection("dashboard")),
            Limits = ReadLimits(root.GetSection("limits")),
        };
        root.RejectUnknownKeys();
        RejectDuplicates(_udpListeners);
        RejectDuplicates(_tcpListeners);
        return config;

        ImmutableArray<T> Defaulted<T>(ImmutableArray<T> blocks, List<Listener> listeners, Func<T, (string, bool, IPEndPoint)> describe)
        {
            foreach (var block in blocks)
            {
                var (key, enabled, endPoint) = describe(block);
                listeners.Add(new Listener(root, $"{key} (default block)", enabled, endPoint));
            }
            return blocks;
        }
    }

    private UdpTrackerConfig ReadUdp(TomlSection section)
    {
        var defaults = new UdpTrackerConfig();
        var udp = new UdpTrackerConfig
        {
            Enabled = section.GetBool("enabled", defaults.Enabled),
            BindAddress = section.GetEndPoint("bind_address", defaults.BindAddress),
        };
        section.RejectUnknownKeys();
        _udpListeners.Add(new Listener(section, "bind_address", udp.Enabled, udp.BindAddress));
        return udp;
    }

    private HttpTrackerConfig ReadHttp(TomlSection section)
    {
        var defaults = new HttpTrackerConfig();
        var enabled = section.GetBool("enabled", defaults.Enabled);
        var sslEnabled = section.GetBool("ssl_enabled", defaults.SslEnabled);
        var (cert, key) = ReadCertificate(section, check: enabled && sslEnabled);
        var http = new HttpTrackerConfig
        {
            Enabled = enabled,
            BindAddress = section.GetEndPoint("bind_address", defaults.BindAddress),
            SslEnabled = sslEnabled,
            SslBindAddress = section.GetEndPoint("ssl_bind_address", defaults.SslBindAddress),
            SslCertPath = cert,
            SslKeyPath = key,
        };
        section.RejectUnknownKeys();
        _tcpListeners.Add(new Listener(section, "bind_address", enabled, http.BindAddress));
        _tcpListeners.Add(new Listener(section, "ssl_bind_address", enabled && sslEnabled, http.SslBindAddress));
        return http;
    }

    private HttpApiConfig ReadApi(TomlSection root, TomlSection? section)
    {
        var defaults = new HttpApiConfig();
        if (section is null)
        {
            _tcpListeners.Add(new Listener(root, "http_api.bind_address", defaults.Enabled, defaults.BindAddress));
            return defaults;
        }
        var enabled = section.GetBool("enabled", defaults.Enabled);
        var sslEnabled = section.GetBool("ssl_enabled", defaults.SslEnabled);
        var (cert, key) = ReadCertificate(section, check: enabled && sslEnabled);
        var api = new HttpApiConfig
        {
            Enabled = enabled,
            BindAddress = section.GetEndPoint("bind_address", defaults.BindAddress),
            SslEnabled = sslEnabled,
            SslCertPath = cert,
            SslKeyPath = key,
            AllowedHosts = ReadHostNames(section, "allowed_hosts"),
            AccessTokens = ReadTokens(section.GetSection("access_tokens")) ?? defaults.AccessTokens,
        };
        section.RejectUnknownKeys();
        _tcpListeners.Add(new Listener(section, "bind_address", enabled, api.BindAddress));
        return api;
    }

    /// <summary>Bare host names or IP addresses: a scheme, port or path would never match a Host header.</summary>
    private static ImmutableArray<string> ReadHostNames(TomlSection section, string key)
    {
        var names = section.GetStringList(key);
        foreach (var name in names)
        {
            if (Uri.CheckHostName(name) == UriHostNameType.Unknown)
                throw section.Error(key, $"'{name}' is not a host name or IP address (write it without scheme, port or path, e.g. \"tracker.example.org\")");
        }
        return [.. names.Select(n => n.ToLowerInvariant())];
    }

    private static ImmutableSortedDictionary<string, string>? ReadTokens(TomlSection? section)
    {
        if (section is null)
            return null;
        var tokens = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in section.Entries())
        {
            if (value is not string token)
                throw section.Error(name, $"expected a token string but found {TomlSection.Describe(value)}");
            if (string.IsNullOrWhiteSpace(token))
                throw section.Error(name, "the token must not be empty");
            tokens[name] = token;
        }
        return tokens.ToImmutable();
    }

    private (string? Cert, string? Key) ReadCertificate(TomlSection section, bool check)
    {
        var cert = section.GetOptionalString("ssl_cert_path");
        var key = section.GetOptionalString("ssl_key_path");
        if (check)
        {
            CheckFile(section, "ssl_cert_path", cert, "PEM certificate");
            CheckFile(section, "ssl_key_path", key, "PEM private key");
            CheckPemPair(section, cert!, key!);
        }
        return (cert, key);
    }

    private void CheckFile(TomlSection section, string key, string? path, string what)
    {
        if (path is null)
            throw section.Error(key, $"is required when ssl_enabled = true (path of the {what} file)", "ssl_enabled");
        if (!_fileExists(path))
            throw section.Error(key, $"the {what} file '{path}' does not exist");
    }

    /// <summary>
    /// Loads the pair once so a wrong file or a key of another certificate stops the start with
    /// the key named, instead of failing inside Kestrel with a stack trace.
    /// </summary>
    private static void CheckPemPair(TomlSection section, string cert, string key)
    {
        if (!File.Exists(cert) || !File.Exists(key))
            return; // only a file-existence check was asked for (tests inject it)
        try
        {
            using var alone = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(cert));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw section.Error("ssl_cert_path", $"'{cert}' is not a readable PEM certificate ({e.Message})");
        }
        try
        {
            using var pair = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(cert, key);
        }
        // A key of another certificate is an ArgumentException ("does not match the public key").
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw section.Error("ssl_key_path", $"'{key}' is not a PEM private key matching the certificate in ssl_cert_path ({e.Message})");
        }
    }

    private DashboardConfig ReadDashboard(TomlSection root, TomlSection? section)
    {
        var defaults = new DashboardConfig();
        if (section is null)
        {
            _tcpListeners.Add(new Listener(root, "dashboard.bind_address", defaults.Enabled, defaults.BindAddress));
            return defaults;
        }
        var dashboard = new DashboardConfig
        {
            Enabled = section.GetBool("enabled", defaults.Enabled),
            BindAddress = section.GetEndPoint("bind_address", defaults.BindAddress),
        };
        section.RejectUnknownKeys();
        _tcpListeners.Add(new Listener(section, "bind_address", dashboard.Enabled, dashboard.BindAddress));
        return dashboard;
    }

    private static LimitsConfig ReadLimits(TomlSection? section)
    {
        var defaults = new LimitsConfig();
        if (section is null)
            return defaults;
        var limits = new LimitsConfig
        {
            UdpBadConnectionIds = section.GetInt("udp_bad_connection_ids", defaults.UdpBadConnectionIds, 0, 1_000_000),
            UdpBadConnectionIdWindow = section.GetSeconds("udp_bad_connection_id_window", (int)defaults.UdpBadConnectionIdWindow.TotalSeconds),
            UdpMaxInFlight = section.GetInt("udp_max_in_flight", defaults.UdpMaxInFlight, 1, 1_000_000),
            MaxSwarmsPerSilo = section.GetInt("max_swarms_per_silo", defaults.MaxSwarmsPerSilo, 10, 100_000_000),
            MaxPeersPerSwarm = section.GetInt("max_peers_per_swarm", defaults.MaxPeersPerSwarm, 10, 10_000_000),
            MaxPeersPerSilo = section.GetInt("max_peers_per_silo", defaults.MaxPeersPerSilo, 10, 1_000_000_000),
            MaxIdleTorrentsListed = section.GetInt("max_idle_torrents_listed", defaults.MaxIdleTorrentsListed, 0, 1_000_000_000),
            HttpMaxConnections = section.GetInt("http_max_connections", defaults.HttpMaxConnections, 1, 10_000_000),
            HttpMaxRequestLine = section.GetInt("http_max_request_line", defaults.HttpMaxRequestLine, 1024, 1024 * 1024),
            HttpMaxHeaderBytes = section.GetInt("http_max_header_bytes", defaults.HttpMaxHeaderBytes, 1024, 1024 * 1024),
            HttpHeaderTimeout = section.GetSeconds("http_header_timeout", (int)defaults.HttpHeaderTimeout.TotalSeconds),
            HttpKeepAliveTimeout = section.GetSeconds("http_keep_alive_timeout", (int)defaults.HttpKeepAliveTimeout.TotalSeconds),
        };
        section.RejectUnknownKeys();
        // One full swarm must fit: otherwise every new peer of it would evict the swarm itself.
        if (limits.MaxPeersPerSilo < limits.MaxPeersPerSwarm)
            throw section.Error("max_peers_per_silo", $"{limits.MaxPeersPerSilo} is less than max_peers_per_swarm ({limits.MaxPeersPerSwarm})");
        return limits;
    }

    /// <summary>Two enabled listeners of one protocol on one address:port cannot both bind. Port 0 (any free
    /// port) never clashes.</summary>
    private static void RejectDuplicates(List<Listener> listeners)
    {
        var seen = new Dictionary<IPEndPoint, Listener>();
        foreach (var listener in listeners.Where(l => l.Enabled && l.EndPoint.Port != 0))
        {
            if (seen.TryGetValue(listener.EndPoint, out var first))
            {
                var problem = $"{ConfigValues.FormatEndPoint(listener.EndPoint)} is already used by {first.KeyPath}";
                throw listener.Section.Error(listener.Key, problem);
            }
            seen.Add(listener.EndPoint, listener);
        }
    }

    private sealed record Listener(TomlSection Section, string Key, bool Enabled, IPEndPoint EndPoint)
    {
        public string KeyPath => Section.KeyPath(Key);
    }
}
