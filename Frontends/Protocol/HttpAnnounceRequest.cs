using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// A parsed HTTP announce (BEP 3 "Trackers", BEP 23 compact, BEP 7 ipv4/ipv6). Defaults follow the
/// project's decisions: compact unless <c>compact=0</c>, NumWant -1 ("tracker default") when absent
/// or negative; the cap is applied by the caller.
/// </summary>
public readonly record struct HttpAnnounceRequest
{
    public InfoHash InfoHash { get; init; }
    public PeerId PeerId { get; init; }
    public ushort Port { get; init; }
    public long Uploaded { get; init; }
    public long Downloaded { get; init; }
    public long Left { get; init; }
    public AnnounceEvent Event { get; init; }
    public bool Compact { get; init; }
    public int NumWant { get; init; }
    public bool NoPeerId { get; init; }
    /// <summary>The client sent a non-empty <c>key</c> (BEP 3's optional client key).</summary>
    public bool HasKey { get; init; }

    /// <summary>
    /// The BEP 7 <c>ipv4</c> address with the announced port, when present and valid. Invalid values
    /// are ignored rather than failed: newTrackon and some clients send odd ones, and the address
    /// the tracker trusts is the connection's source anyway.
    /// </summary>
    public PeerEndpoint? IPv4 { get; init; }

    /// <summary>The BEP 7 <c>ipv6</c> address with the announced port, when present and valid (see <see cref="IPv4"/>).</summary>
    public PeerEndpoint? IPv6 { get; init; }
}
