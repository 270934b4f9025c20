using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Torrents;

public static class SiloSwarmsServices
{
    /// <summary>The silo's registry of its swarms (with their memory caps) and the memory-cap counters.</summary>
    public static IServiceCollection AddSiloSwarms(this IServiceCollection services)
    {
        services.TryAddSingleton<MemoryCapCounters>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SiloSwarms>();
        services.TryAddSingleton<TorrentGrainServices>();
        return services;
    }
}
