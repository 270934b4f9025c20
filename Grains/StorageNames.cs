namespace OrleansTracker.Grains;

/// <summary>Names of the Orleans grain storage providers the grains persist into.</summary>
public static class StorageNames
{
    /// <summary>Torrent state (completed counts). Memory or ADO.NET, see the silo's AddTrackerStorage.</summary>
    public const string Torrents = "torrents";

    /// <summary>
    /// The ETag a torrent state gets when the database could not be read at activation (see the
    /// silo's ReadTolerantGrainStorage): the state starts empty, and the grain reads the stored
    /// one again before its first write, merging its own increments into it.
    /// </summary>
    public const string UnreadETag = "unread";
}
