using Microsoft.Extensions.Hosting;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// Makes sure every sweep partition has its reminder once the silo is up. Registering an existing
/// reminder again just updates its period, so a changed cleanup_interval takes effect on restart.
/// </summary>
internal sealed class PartitionStartup(IGrainFactory grains) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, SweepPartitions.Count)
            .Select(i => grains.GetGrain<ISweepPartitionGrain>(i).EnsureReminder()));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
