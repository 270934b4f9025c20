using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>The <c>[cluster]</c> section: Orleans identity, ports and membership. Its rules against the
/// storage keys are the root's (<see cref="TrackerConfigRules"/>).</summary>
public sealed class ClusterConfig
{
    [ConfigKey("cluster_id", "Silos with the same cluster id form one cluster.", Check = ValueCheck.NonEmpty)]
    public string ClusterId { get; init; } = "orleans-tracker";

    [ConfigKey("service_id", """
        Names this service's stored state; keep it the same across deployments.
        """, Check = ValueCheck.NonEmpty)]
    public string ServiceId { get; init; } = "orleans-tracker";

    [ConfigKey("silo_port", "TCP port for silo-to-silo traffic (1 to 65535).", Max = IPEndPoint.MaxPort)]
    public int SiloPort { get; init; } = 11111;

    [ConfigKey("gateway_port", """
        TCP port for Orleans clients such as separately hosted frontends (1 to 65535).
        """, Max = IPEndPoint.MaxPort)]
    public int GatewayPort { get; init; } = 30000;

    [ConfigKey("mode", """
        How silos find each other (see docs/cluster.md):
          "localhost": one silo, or 2-3 silos on this machine that join the one at primary_silo
                       (that primary is a single point of failure: the cluster stops without it);
          "adonet":    a membership table in the MySQL/MariaDB database of db_path (needs
                       db_driver = "mysql"); silos on any number of machines, none of them special.
        """)]
    public ClusterMode Mode { get; init; } = ClusterMode.Localhost;

    /// <summary>Unset means auto-detect.</summary>
    [ConfigKey("advertised_ip", """
        IP address other silos and frontends use to reach this one ("adonet" mode). Unset by default:
        the address of this host's name.
        """, Example = "10.0.0.5")]
    public IPAddress? AdvertisedIp { get; init; }

    /// <summary>Unset means this silo is the primary.</summary>
    [ConfigKey("primary_silo", """
        127.0.0.1:port (its silo_port) of the primary silo in "localhost" mode. Unset by default: this
        silo is the primary.
        """, Example = "127.0.0.1:11111", Check = ValueCheck.HostAndPort)]
    public string? PrimarySilo { get; init; }

    [ConfigKey("role", """
        "silo": hosts torrents and serves UDP/HTTP (a complete tracker). "frontend": serves UDP/HTTP
        only, as an Orleans client of the silos (found in the database with "adonet", or at
        127.0.0.1:gateway_port with "localhost"); it opens no silo or gateway port of its own.
        """)]
    public ClusterRole Role { get; init; } = ClusterRole.Silo;
}
