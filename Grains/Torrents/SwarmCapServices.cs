using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Torrents;

public static class SwarmCapServices
{
    /// <summary>The silo-local swarm cap every torrent grain registers with, and its eviction counter.</summary>
    public static IServiceCollection AddSwarmCap(this IServiceCollection services)
    {
        services.TryAddSingleton<SwarmEvictionCounter>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SwarmCap>();
        return services;
    }
}
