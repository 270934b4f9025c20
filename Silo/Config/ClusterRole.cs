namespace OrleansTracker.Silo.Config;

/// <summary>What this process is in the cluster (TOML key <c>cluster.role</c>).</summary>
public enum ClusterRole
{
    /// <summary><c>silo</c>: hosts grains and serves the frontends (the default, a complete tracker).</summary>
    Silo,

    /// <summary><c>frontend</c>: serves UDP/HTTP only, as an Orleans client of the cluster's silos.</summary>
    Frontend,
}
