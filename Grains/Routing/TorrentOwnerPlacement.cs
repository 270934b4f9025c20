using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using OrleansTracker.Grains.Interfaces.Routing;

namespace OrleansTracker.Grains.Routing;

/// <summary>Places a torrent grain on its owner in the consistent-hash ring of the compatible silos.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class TorrentOwnerPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TorrentOwnerPlacementAttribute() : PlacementAttribute(new TorrentOwnerPlacement());

/// <summary>
/// The frontends compute the same ring from the membership (<see cref="OwnerRing{TSilo}"/>), so
/// they know which silo holds a torrent before calling it, and can batch announces per owner.
/// </summary>
internal sealed class TorrentOwnerPlacementDirector : IPlacementDirector
{
    private readonly object _gate = new();
    private SiloAddress[] _silos = [];
    private OwnerRing<SiloAddress>? _ring;

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hint)
            return Task.FromResult(hint);
        if (!RingPosition.TryParse(target.GrainIdentity.Key.ToString(), out var position))
            return Task.FromResult(context.LocalSilo);
        return Task.FromResult(Ring(compatible).OwnerAt(position));
    }

    private OwnerRing<SiloAddress> Ring(SiloAddress[] compatible)
    {
        lock (_gate)
        {
            if (_ring is null || !SameSilos(_silos, compatible))
            {
                _silos = compatible;
                _ring = new OwnerRing<SiloAddress>(compatible, SiloEndpoints.Of);
            }
            return _ring;
        }
    }

    private static bool SameSilos(SiloAddress[] a, SiloAddress[] b) =>
        a.Length == b.Length && a.ToHashSet().SetEquals(b);
}
