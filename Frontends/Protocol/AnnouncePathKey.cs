namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Finds the private-tracker key in a tracker URL's path, <c>/announce/{key}</c>, as BEP 41 URL data
/// carries it over UDP (path and query of the announce URL, e.g. <c>/announce/abc…?x=1</c>). Only
/// locates the key; whether it is well formed and known is the access policy's business.
/// </summary>
public static class AnnouncePathKey
{
    private static ReadOnlySpan<byte> Prefix => "/announce/"u8;

    /// <summary>
    /// The key segment of <paramref name="urlData"/>, or an empty span when the path carries none
    /// (no URL data, a bare <c>/announce</c>, or another path).
    /// </summary>
    public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> urlData)
    {
        var query = urlData.IndexOf((byte)'?');
        var path = query < 0 ? urlData : urlData[..query];
        if (!path.StartsWith(Prefix))
            return [];
        var rest = path[Prefix.Length..];
        // A trailing slash is tolerated (some clients add one); deeper paths are not a key.
        if (rest.Length > 0 && rest[^1] == (byte)'/')
            rest = rest[..^1];
        return rest;
    }
}
