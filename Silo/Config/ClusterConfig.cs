using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>The <c>[cluster]</c> section: Orleans identity, ports and membership.</summary>
public sealed class ClusterConfig
{
    /// <summary><c>cluster_id</c>: silos with the same id form one cluster.</summary>
    public string ClusterId { get; init; } = "orleans-tracker";

    /// <summary><c>service_id</c>: identifies the application's persisted state across deployments.</summary>
    public string ServiceId { get; init; } = "orleans-tracker";

    /// <summary><c>silo_port</c>: silo-to-silo TCP port.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary><c>gateway_port</c>: TCP port for Orleans clients (e.g. separate frontend processes).</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary><c>advertised_ip</c>: the address other silos use to reach this one; unset means auto-detect.</summary>
    public IPAddress? AdvertisedIp { get; init; }

    /// <summary><c>mode</c>: membership provider.</summary>
    public ClusterMode Mode { get; init; } = ClusterMode.Localhost;

    /// <summary><c>primary_silo</c>: <c>host:port</c> of the primary silo for localhost clustering; unset means this silo.</summary>
    public string? PrimarySilo { get; init; }

    /// <summary><c>role</c>: a silo (grains and frontends) or a frontend-only Orleans client.</summary>
    public ClusterRole Role { get; init; } = ClusterRole.Silo;

    /// <summary><c>probe_timeout</c>: Orleans' initial liveness probe timeout (Silo/Hosting/FailureDetection.cs).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>tls_cert_path</c>, <c>tls_key_path</c>, <c>tls_ca_path</c>: mutual TLS on the silo and gateway ports; null = plain TCP.</summary>
    public ClusterTlsFiles? Tls { get; init; }

    /// <summary><c>kubernetes</c>: Orleans' Kubernetes hosting (pod name and IP, dead pods' silos); only in a pod.</summary>
    public bool Kubernetes { get; init; }
}

/// <summary>PEM files of <c>[cluster]</c> TLS: this node's certificate and key, and what peers must chain to.</summary>
public sealed record ClusterTlsFiles(string CertPath, string KeyPath, string CaPath);
