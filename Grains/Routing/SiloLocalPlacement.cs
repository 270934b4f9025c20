using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace OrleansTracker.Grains.Routing;

/// <summary>Places a grain keyed by a silo endpoint ("ip:port") on that silo (the announce routers).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloLocalPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloLocalPlacementAttribute() : PlacementAttribute(new SiloLocalPlacement());

/// <summary>
/// The silo whose endpoint is the grain's key; if that silo is not (or no longer) active, the
/// local one: a router anywhere still answers correctly, only less cheaply.
/// </summary>
internal sealed class SiloLocalPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (SiloEndpoints.Of(silo) == key)
                return Task.FromResult(silo);
        }
        return Task.FromResult(context.LocalSilo);
    }
}

public static class SiloEndpoints
{
    /// <summary>"ip:port" of a silo, without its generation: stable across the silo's restarts.</summary>
    public static string Of(SiloAddress silo) => silo.Endpoint.ToString();
}
