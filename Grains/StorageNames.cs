namespace OrleansTracker.Grains;

/// <summary>Names of the Orleans grain storage providers the grains persist into.</summary>
public static class StorageNames
{
    /// <summary>Torrent state (completed counts). Memory or ADO.NET, see the silo's AddTrackerStorage.</summary>
    public const string Torrents = "torrents";
}
