namespace OrleansTracker.Silo.Config;

/// <summary>How silos find each other (TOML key <c>cluster.mode</c>).</summary>
public enum ClusterMode
{
    /// <summary><c>localhost</c>: one silo, or a few on one machine that join the silo at <c>primary_silo</c>.</summary>
    Localhost,

    /// <summary><c>adonet</c>: membership kept in the database (several silos).</summary>
    AdoNet,
}
