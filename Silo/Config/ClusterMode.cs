namespace OrleansTracker.Silo.Config;

/// <summary>How silos find each other (TOML key <c>cluster.mode</c>).</summary>
public enum ClusterMode
{
    /// <summary><c>localhost</c>: a single silo with in-process clustering.</summary>
    Localhost,

    /// <summary><c>adonet</c>: membership kept in the database (several silos).</summary>
    AdoNet,
}
