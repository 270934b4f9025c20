using Orleans.Runtime;
using OrleansTracker.Grains.WebSockets;

namespace OrleansTracker.Silo.Hosting.WebSockets;

/// <summary>A silo is gone once the membership (this silo's in-memory view of it) has declared it dead.</summary>
internal sealed class MembershipLiveness(IClusterMembershipService membership) : ISiloLiveness
{
    public bool IsGone(SiloAddress silo) => membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;
}
