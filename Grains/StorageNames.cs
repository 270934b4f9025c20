namespace OrleansTracker.Grains;

/// <summary>Names of the Orleans storage providers the grains use.</summary>
public static class StorageNames
{
    /// <summary>Torrent state (completed counts), ADO.NET on SQLite/MySQL or memory.</summary>
    public const string Torrents = "torrents";
}
