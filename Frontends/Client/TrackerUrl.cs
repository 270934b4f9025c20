namespace OrleansTracker.Frontends.Client;

/// <summary>How a tracker URL is spoken to.</summary>
public enum TrackerProtocol
{
    Udp,
    Http,
    WebSocket,
}

/// <summary>
/// A tracker's announce URL as an operator writes it (<c>udp://host:port[/path?query]</c>,
/// <c>http(s)://host[:port]/announce</c>, <c>ws(s)://host[:port][/announce]</c>), with an optional
/// private-tracker key put where our tracker and Torrust read it: the path segment after
/// <c>/announce</c> (over UDP as BEP 41 URL data, which is how the UDP frontend finds it).
/// </summary>
public sealed class TrackerUrl
{
    private readonly Uri _uri;
    private readonly string _path;

    private TrackerUrl(Uri uri, TrackerProtocol protocol, string path, string? key)
    {
        _uri = uri;
        Protocol = protocol;
        _path = path;
        Key = key;
    }

    public TrackerProtocol Protocol { get; }

    /// <summary>https or wss: TLS, whose certificate is checked unless the operator says otherwise.</summary>
    public bool IsSecure => _uri.Scheme is "https" or "wss";

    /// <summary>The host as a name or an address literal without brackets ("::1").</summary>
    public string Host => _uri.IdnHost.Trim('[', ']');

    public int Port => _uri.Port;

    /// <summary>The key given with <c>--key</c>, or null (a key already in the URL's path stays there).</summary>
    public string? Key { get; }

    /// <summary>The URL as given (without the key), for messages.</summary>
    public override string ToString() => _uri.OriginalString;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static TrackerUrl Parse(string text, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException($"'{text}' is not a tracker URL (udp://host:port, http(s)://host:port/announce, ws(s)://host:port)");
        var protocol = uri.Scheme switch
        {
            "udp" => TrackerProtocol.Udp,
            "http" or "https" => TrackerProtocol.Http,
            "ws" or "wss" => TrackerProtocol.WebSocket,
            _ => throw new FormatException($"'{text}': the scheme '{uri.Scheme}' is none of udp, http, https, ws, wss"),
        };
        if (uri.Port is <= 0 or > ushort.MaxValue)
            throw new FormatException($"'{text}' has no port (a udp:// URL needs one)");
        if (!string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            throw new FormatException($"'{text}': a tracker URL has no user name and no #fragment");
        if (key is not null && (key.Length == 0 || key.Any(c => !char.IsAsciiLetterOrDigit(c))))
            throw new FormatException("--key: a key is ASCII letters and digits");
        return new TrackerUrl(uri, protocol, uri.AbsolutePath, key);
    }

    /// <summary>
    /// The announce path and query: the URL's own, an empty path made <c>/announce</c> (HTTP and
    /// WebSocket; UDP sends none), and the key appended as the next segment.
    /// </summary>
    public string AnnouncePathAndQuery
    {
        get
        {
            var path = _path is "" or "/" ? (Protocol == TrackerProtocol.Udp && Key is null ? "" : "/announce") : _path;
            if (Key is not null)
                path = path.TrimEnd('/') + "/" + Key;
            return path + _uri.Query;
        }
    }

    /// <summary>
    /// The scrape path by the convention every tracker follows (BEP 48): the last path segment that
    /// starts with "announce" gets "scrape" in its place (<c>/announce/KEY</c> → <c>/scrape/KEY</c>,
    /// <c>/announce.php</c> → <c>/scrape.php</c>); null when there is none (the tracker cannot be scraped).
    /// </summary>
    public string? ScrapePathAndQuery
    {
        get
        {
            var announce = AnnouncePathAndQuery;
            var queryAt = announce.IndexOf('?', StringComparison.Ordinal);
            var path = queryAt < 0 ? announce : announce[..queryAt];
            var segment = path.LastIndexOf("/announce", StringComparison.Ordinal);
            var after = segment + "/announce".Length;
            if (segment < 0 || (after < path.Length && path[after] is not '/' and not '.'))
                return null;
            return path[..segment] + "/scrape" + path[(segment + "/announce".Length)..] + (queryAt < 0 ? "" : announce[queryAt..]);
        }
    }

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> on this tracker (HTTP and WebSocket).</summary>
    public Uri With(string pathAndQuery) => new(_uri.GetLeftPart(UriPartial.Authority) + pathAndQuery);
}
