using System.Globalization;
using System.Net;
using System.Text;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Writes the effective configuration as TOML (for <c>--print-config</c> and the startup log). Access tokens and
/// any MySQL password are shown as <c>***</c>; unset options appear as comments. The output loads back with
/// <see cref="ConfigLoader"/>.
/// </summary>
public static class ConfigPrinter
{
    /// <summary>What secrets are replaced with.</summary>
    public const string Mask = "***";

    /// <summary>The effective configuration as TOML, secrets masked.</summary>
    public static string Render(TrackerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var toml = new TomlText();
        toml.Value("log_level", ConfigValues.NameOf(ConfigValues.LogLevels, config.LogLevel));
        toml.Value("log_format", ConfigValues.NameOf(ConfigValues.LogFormats, config.LogFormat));
        toml.Value("mode", ConfigValues.NameOf(ConfigValues.TrackerModes, config.Mode));
        toml.Value("db_driver", ConfigValues.NameOf(ConfigValues.DbDrivers, config.DbDriver));
        toml.Value("db_path", DbConnectionStrings.MaskPassword(config.DbDriver, config.DbPath));
        toml.Value("persistence", config.Persistence);
        toml.Value("persistence_interval", config.PersistenceInterval);
        toml.Value("cleanup_interval", config.CleanupInterval);
        toml.Value("cleanup_peerless", config.CleanupPeerless);
        toml.Value("peer_timeout", config.PeerTimeout);
        toml.Value("announce_interval", config.AnnounceInterval);
        toml.Value("announce_interval_min", config.AnnounceIntervalMin);
        toml.Value("default_numwant", config.DefaultNumwant);
        toml.Value("max_numwant", config.MaxNumwant);
        toml.Value("max_scrape_hashes", config.MaxScrapeHashes);
        toml.Value("external_ip", config.ExternalIp?.ToString());
        toml.Value("on_reverse_proxy", config.OnReverseProxy);
        toml.Value("udp_batched_syscalls", config.UdpBatchedSyscalls);
        if (config.UdpTrackers.IsEmpty)
            toml.Value("udp_trackers", Array.Empty<string>());
        if (config.HttpTrackers.IsEmpty)
            toml.Value("http_trackers", Array.Empty<string>());
        foreach (var udp in config.UdpTrackers)
        {
            toml.Header("[[udp_trackers]]");
            toml.Value("enabled", udp.Enabled);
            toml.Value("bind_address", udp.BindAddress);
        }
        foreach (var http in config.HttpTrackers)
        {
            toml.Header("[[http_trackers]]");
            toml.Value("enabled", http.Enabled);
            toml.Value("bind_address", http.BindAddress);
            toml.Value("ssl_enabled", http.SslEnabled);
            toml.Value("ssl_bind_address", http.SslBindAddress);
            toml.Value("ssl_cert_path", http.SslCertPath);
            toml.Value("ssl_key_path", http.SslKeyPath);
        }
        var api = config.HttpApi;
        toml.Header("[http_api]");
        toml.Value("enabled", api.Enabled);
        toml.Value("bind_address", api.BindAddress);
        toml.Value("ssl_enabled", api.SslEnabled);
        toml.Value("ssl_cert_path", api.SslCertPath);
        toml.Value("ssl_key_path", api.SslKeyPath);
        toml.Header("[http_api.access_tokens]");
        foreach (var name in api.AccessTokens.Keys)
            toml.Value(name, Mask);
        var cluster = config.Cluster;
        toml.Header("[cluster]");
        toml.Value("cluster_id", cluster.ClusterId);
        toml.Value("service_id", cluster.ServiceId);
        toml.Value("silo_port", cluster.SiloPort);
        toml.Value("gateway_port", cluster.GatewayPort);
        toml.Value("mode", ConfigValues.NameOf(ConfigValues.ClusterModes, cluster.Mode));
        toml.Value("advertised_ip", cluster.AdvertisedIp?.ToString());
        toml.Value("primary_silo", cluster.PrimarySilo);
        toml.Value("role", ConfigValues.NameOf(ConfigValues.ClusterRoles, cluster.Role));
        toml.Value("probe_timeout", cluster.ProbeTimeout);
        toml.Value("tls_cert_path", cluster.Tls?.CertPath);
        toml.Value("tls_key_path", cluster.Tls?.KeyPath);
        toml.Value("tls_ca_path", cluster.Tls?.CaPath);
        toml.Value("kubernetes", cluster.Kubernetes);
        toml.Header("[dashboard]");
        toml.Value("enabled", config.Dashboard.Enabled);
        toml.Value("bind_address", config.Dashboard.BindAddress);
        var limits = config.Limits;
        toml.Header("[limits]");
        toml.Value("udp_bad_connection_ids", limits.UdpBadConnectionIds);
        toml.Value("udp_bad_connection_id_window", limits.UdpBadConnectionIdWindow);
        toml.Value("udp_max_in_flight", limits.UdpMaxInFlight);
        toml.Value("max_swarms_per_silo", limits.MaxSwarmsPerSilo);
        toml.Value("max_peers_per_swarm", limits.MaxPeersPerSwarm);
        toml.Value("max_peers_per_silo", limits.MaxPeersPerSilo);
        toml.Value("max_idle_torrents_listed", limits.MaxIdleTorrentsListed);
        toml.Value("http_max_connections", limits.HttpMaxConnections);
        toml.Value("http_max_request_line", limits.HttpMaxRequestLine);
        toml.Value("http_max_header_bytes", limits.HttpMaxHeaderBytes);
        toml.Value("http_header_timeout", limits.HttpHeaderTimeout);
        toml.Value("http_keep_alive_timeout", limits.HttpKeepAliveTimeout);
        return toml.ToString();
    }

    private sealed class TomlText
    {
        private readonly StringBuilder _text = new();

        public void Header(string header)
        {
            if (_text.Length > 0)
                _text.Append('\n');
            _text.Append(header).Append('\n');
        }

        public void Value(string key, string? value)
        {
            if (value is null)
                _text.Append("# ").Append(Key(key)).Append(" is unset\n");
            else
                _text.Append(Key(key)).Append(" = ").Append(Quote(value)).Append('\n');
        }

        public void Value(string key, bool value) => Raw(key, value ? "true" : "false");

        public void Value(string key, int value) => Raw(key, value.ToString(CultureInfo.InvariantCulture));

        public void Value(string key, TimeSpan seconds) =>
            Raw(key, ((long)seconds.TotalSeconds).ToString(CultureInfo.InvariantCulture));

        public void Value(string key, IPEndPoint endPoint) => Value(key, ConfigValues.FormatEndPoint(endPoint));

        public void Value(string key, string[] emptyArray) => Raw(key, emptyArray.Length == 0 ? "[]" : throw new ArgumentException("only empty arrays", nameof(emptyArray)));

        public override string ToString() => _text.ToString();

        private void Raw(string key, string value) => _text.Append(Key(key)).Append(" = ").Append(value).Append('\n');

        private static string Key(string key) =>
            key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? key : Quote(key);

        private static string Quote(string value)
        {
            var quoted = new StringBuilder("\"");
            foreach (var c in value)
            {
                _ = c switch
                {
                    '"' => quoted.Append("\\\""),
                    '\\' => quoted.Append("\\\\"),
                    '\n' => quoted.Append("\\n"),
                    '\r' => quoted.Append("\\r"),
                    '\t' => quoted.Append("\\t"),
                    < ' ' or '\u007f' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                    _ => quoted.Append(c),
                };
            }
            return quoted.Append('"').ToString();
        }
    }
}
