namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// Why the tracker refused a request (None: it did not): the access policy's reasons, and the
/// client's address being unknown. One list for every protocol, so a new rule (a per-address
/// limit) is a new member here and a new message below.
/// </summary>
public enum Refusal : byte
{
    None,
    KeyMissing,
    KeyMalformed,
    KeyUnknown,
    KeyExpired,
    NotWhitelisted,
    NotLoaded,
    /// <summary>Behind a reverse proxy the request carried no valid forwarded address (or the transport none at all).</summary>
    ClientAddressUnknown,
    /// <summary>The address made announces_per_address_per_minute announces this minute already.</summary>
    AnnounceRateExceeded,
    /// <summary>The address holds peers_per_address_per_swarm peers in the swarm already (the swarm's answer).</summary>
    PeersPerAddressExceeded,
}

/// <summary>The failure reasons sent to clients, over HTTP and in BEP 15 errors alike.</summary>
public static class RefusalMessages
{
    // Short enough for a BEP 15 error answering the smallest announce (98 bytes - 8 header).
    private static readonly string[] Texts =
    [
        "",
        "missing authentication key: announce to /announce/{key}",
        "malformed authentication key: expected 32 letters and digits",
        "unknown authentication key",
        "expired authentication key",
        "torrent not whitelisted",
        "tracker starting: access lists not loaded yet, retry",
        "missing or invalid X-Forwarded-For header",
        "too many announces from this address, retry later",
        "too many peers from this address in this torrent",
    ];

    private static readonly byte[][] Utf8 = [.. Texts.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>A request the tracker accepted but could not answer (its torrent's silo failed or left mid-call): retry later.</summary>
    public const string Unavailable = "tracker temporarily unavailable";

    public static ReadOnlySpan<byte> UnavailableBytes => "tracker temporarily unavailable"u8;

    public static string Text(Refusal refusal) => Texts[(int)refusal];

    public static ReadOnlySpan<byte> Bytes(Refusal refusal) => Utf8[(int)refusal];
}
