using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>The single whitelist and key grains of a cluster.</summary>
public static class AccessGrains
{
    public static IWhitelistGrain Whitelist(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IWhitelistGrain>(0);
    }

    public static IKeyGrain Keys(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IKeyGrain>(0);
    }
}
