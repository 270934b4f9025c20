using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// A parsed HTTP announce (BEP 3 "Trackers", BEP 23 compact). Defaults follow the project's
/// decisions: compact unless <c>compact=0</c>, NumWant -1 ("tracker default") when absent or
/// negative; the cap is applied by the caller. The client's <c>key</c> and BEP 7's <c>ipv4</c>/<c>ipv6</c>
/// are not read: the tracker trusts the connection's source address, never an announced one.
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
}
