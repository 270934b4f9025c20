namespace OrleansTracker.Frontends.Logic;

/// <summary>Why the access policy refused a request (None: it did not).</summary>
public enum Refusal : byte
{
    None,
    KeyMissing,
    KeyMalformed,
    KeyUnknown,
    KeyExpired,
    NotWhitelisted,
    NotLoaded,
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
    ];

    private static readonly byte[][] Utf8 = [.. Texts.Select(System.Text.Encoding.UTF8.GetBytes)];

    public static string Text(Refusal denial) => Texts[(int)denial];

    public static ReadOnlySpan<byte> Bytes(Refusal denial) => Utf8[(int)denial];
}
