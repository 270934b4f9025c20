using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using OrleansTracker.Grains.Torrents;

namespace OrleansTracker.Grains.Partitions;

/// <summary>Silo services the torrent and sweep partition grains rely on.</summary>
public static class SweepPartitionSetup
{
    /// <summary>
    /// Registers the silo's registry of its torrent activations (<see cref="SiloSwarms"/>) and the
    /// <see cref="PartitionWatch"/> that has them register again with a partition that moved.
    /// Every silo hosting the grains needs it (a <c>TorrentGrain</c> cannot activate without it).
    /// </summary>
    public static ISiloBuilder AddSweepPartitions(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSiloSwarms();
        silo.Services.AddSingleton<PartitionWatch>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PartitionWatch>());
        return silo;
    }
}
