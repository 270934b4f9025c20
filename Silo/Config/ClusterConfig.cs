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

    [ConfigKey("probe_timeout", """
        Seconds a silo first waits for another's liveness probe. Probes repeat every 0.5x to 4x this
        (adapting to the measured round trips); a crashed silo is declared dead after about three,
        1-3 s with 1. A silo frozen (GC pause, paused VM) for over ~12x this is declared dead too and
        exits when it wakes: raise it where hosts freeze longer (Orleans' own default is 5).
        """, Max = 60)]
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    [ConfigKey("tls_cert_path", """
        Mutual TLS between silos and from frontends on silo_port and gateway_port: this node's PEM
        certificate. tls_cert_path, tls_key_path and tls_ca_path go together; unset: plain TCP, open to
        anyone who reaches the ports (see docs/security.md).
        """, Example = "/etc/orleans-tracker/cluster.crt")]
    public string? TlsCertPath { get; init; }

    [ConfigKey("tls_key_path", "Its PEM private key.", Example = "/etc/orleans-tracker/cluster.key")]
    public string? TlsKeyPath { get; init; }

    [ConfigKey("tls_ca_path", """
        PEM CA certificate(s) every peer's certificate must chain to (or the one self-signed
        certificate all nodes share); a connection without such a certificate is refused.
        """, Example = "/etc/orleans-tracker/cluster-ca.crt")]
    public string? TlsCaPath { get; init; }

    [ConfigKey("kubernetes", """
        Orleans' Kubernetes hosting: silo name and address from the pod (POD_NAME, POD_NAMESPACE,
        POD_IP of the downward API) and silos of deleted pods declared dead at once. Only inside a
        pod, with mode = "adonet" (deploy/kubernetes/).
        """)]
    public bool Kubernetes { get; init; }

    [ConfigKey("batch_remote_announces", """
        Announces a silo receives for torrents another silo owns travel to that silo in batches (one
        message per batch each way) instead of one call each. Turn off only to compare (bench/cluster.sh).
        """)]
    public bool BatchRemoteAnnounces { get; init; } = true;

    /// <summary>The three TLS files when cluster TLS is on (the rules check all three or none); null = plain TCP.</summary>
    public ClusterTlsFiles? Tls => TlsCertPath is { } cert && TlsKeyPath is { } key && TlsCaPath is { } ca ? new(cert, key, ca) : null;
}

/// <summary>PEM files of <c>[cluster]</c> TLS: this node's certificate and key, and what peers must chain to.</summary>
public sealed record ClusterTlsFiles(string CertPath, string KeyPath, string CaPath);
