using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// One announce as a frontend read it off the wire, before any policy: the same for every
/// protocol. The key and the client's origin are spans into the request, so nothing is copied.
/// </summary>
public readonly ref struct AnnounceInput
{
    public required InfoHash InfoHash { get; init; }
    public required PeerId PeerId { get; init; }

    /// <summary>The port the client announced (never the source port, which NAT may change).</summary>
    public required ushort Port { get; init; }

    public long Uploaded { get; init; }
    public long Downloaded { get; init; }
    public long Left { get; init; }
    public AnnounceEvent Event { get; init; }

    /// <summary>Peers wanted; negative means the tracker's default.</summary>
    public int NumWant { get; init; }

    /// <summary>Where the request came from.</summary>
    public required ClientOrigin Client { get; init; }

    /// <summary>The private-tracker key from the announce URL's path; empty when there is none.</summary>
    public ReadOnlySpan<char> Key { get; init; }

    /// <summary>Which address families the response can carry (UDP: its own; HTTP: both).</summary>
    public required PeerFamilies Families { get; init; }

    /// <summary>The response lists peers with their ids (non-compact HTTP).</summary>
    public bool IncludePeerIds { get; init; }
}

/// <summary>One scrape as a frontend read it: who asked, and with which key.</summary>
public readonly ref struct ScrapeInput
{
    public required ClientOrigin Client { get; init; }

    /// <summary>The key from the scrape URL's path; empty when there is none (always, over UDP).</summary>
    public ReadOnlySpan<char> Key { get; init; }
}
