namespace OrleansTracker.Silo.Config;

/// <summary>Which torrents the tracker serves and who may announce (TOML key <c>mode</c>).</summary>
public enum TrackerMode
{
    /// <summary><c>public</c>: any torrent, any client.</summary>
    Public,

    /// <summary><c>listed</c>: only whitelisted torrents, any client.</summary>
    Listed,

    /// <summary><c>private</c>: any torrent, clients need a key.</summary>
    Private,

    /// <summary><c>private_listed</c>: only whitelisted torrents, clients need a key.</summary>
    PrivateListed,
}
