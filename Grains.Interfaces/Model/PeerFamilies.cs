namespace OrleansTracker.Grains.Interfaces;

/// <summary>Which address families an answer carries peers of.</summary>
[Flags]
public enum PeerFamilies
{
    None = 0,
    IPv4 = 1,
    IPv6 = 2,
    Both = IPv4 | IPv6,
}
