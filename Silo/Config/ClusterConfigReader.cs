using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>Reads <c>[cluster]</c> and checks the rules that tie it to the storage keys.</summary>
internal static class ClusterConfigReader
{
    public static ClusterConfig Read(TomlSection? section, DbDriver dbDriver, bool persistence)
    {
        var defaults = new ClusterConfig();
        if (section is null)
            return defaults;
        var primary = section.GetOptionalString("primary_silo");
        if (primary is not null && !ConfigValues.IsHostAndPort(primary))
            throw section.Error("primary_silo", $"'{primary}' is not a host:port such as 10.0.0.5:11111");
        var cluster = new ClusterConfig
        {
            ClusterId = NonEmpty(section, "cluster_id", defaults.ClusterId),
            ServiceId = NonEmpty(section, "service_id", defaults.ServiceId),
            SiloPort = section.GetInt("silo_port", defaults.SiloPort, 1, IPEndPoint.MaxPort),
            GatewayPort = section.GetInt("gateway_port", defaults.GatewayPort, 1, IPEndPoint.MaxPort),
            AdvertisedIp = section.GetOptionalIp("advertised_ip"),
            Mode = section.GetChoice("mode", defaults.Mode, ConfigValues.ClusterModes),
            PrimarySilo = primary,
            Role = section.GetChoice("role", defaults.Role, ConfigValues.ClusterRoles),
            ProbeTimeout = section.GetSeconds("probe_timeout", (int)defaults.ProbeTimeout.TotalSeconds),
            Tls = ReadTls(section),
            Kubernetes = section.GetBool("kubernetes", defaults.Kubernetes),
        };
        section.RejectUnknownKeys();
        CheckAgainstStorage(section, cluster, dbDriver, persistence);
        return cluster;
    }

    private static void CheckAgainstStorage(TomlSection section, ClusterConfig cluster, DbDriver dbDriver, bool persistence)
    {
        // Pods come and go with new addresses: only a shared membership table lets them find each other.
        if (cluster.Kubernetes && (cluster.Mode != ClusterMode.AdoNet || cluster.Role != ClusterRole.Silo))
            throw section.Error("kubernetes", "needs mode = \"adonet\" and role = \"silo\" (Kubernetes hosting names silos after their pods; membership stays in the database)");
        if (cluster.Mode != ClusterMode.AdoNet)
            return;
        // Silos on several machines must share one membership table; a SQLite file cannot be shared.
        if (dbDriver != DbDriver.MySql)
        {
            throw section.Error("mode",
                "\"adonet\" keeps the silo membership table in the MySQL/MariaDB database of db_path, but db_driver is \"sqlite3\"; "
                + "set db_driver = \"mysql\" and db_path = \"mysql://user:pass@host:3306/tracker\" (or use mode = \"localhost\" on one machine)");
        }
        // A frontend only reads the gateway list; a silo also needs the schema installed and its
        // completed counts and reminders in the shared database.
        if (cluster.Role == ClusterRole.Silo && !persistence)
            throw section.Error("mode", "\"adonet\" needs persistence = true: the silos share completed counts, reminders and membership in the database");
        if (cluster.PrimarySilo is not null)
            throw section.Error("primary_silo", "is only used with mode = \"localhost\"; remove it with mode = \"adonet\" (silos find each other in the database)");
    }

    /// <summary>All three paths or none: TLS without a CA would accept any peer, a CA without a certificate could not answer.</summary>
    private static ClusterTlsFiles? ReadTls(TomlSection section)
    {
        string[] keys = ["tls_cert_path", "tls_key_path", "tls_ca_path"];
        var paths = keys.Select(section.GetOptionalString).ToArray();
        if (paths.All(p => p is null))
            return null;
        for (var i = 0; i < keys.Length; i++)
        {
            if (paths[i] is null)
                throw section.Error(keys[i], $"is required with {string.Join(" and ", keys.Where((_, j) => paths[j] is not null))} (cluster TLS needs all three PEM files)");
            if (!File.Exists(paths[i]))
                throw section.Error(keys[i], $"the file '{paths[i]}' does not exist");
        }
        return new ClusterTlsFiles(paths[0]!, paths[1]!, paths[2]!);
    }

    private static string NonEmpty(TomlSection section, string key, string fallback)
    {
        var value = section.GetString(key, fallback);
        return string.IsNullOrWhiteSpace(value) ? throw section.Error(key, "must not be empty") : value;
    }
}
