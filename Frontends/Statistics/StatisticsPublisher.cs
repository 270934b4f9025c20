using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Statistics;

/// <summary>
/// Reports this process's counters to the cluster-wide <see cref="IClusterStatisticsGrain"/> once a
/// second (one one-way call; nothing when nothing changed), so an admin API on any silo can sum them.
/// </summary>
public sealed class StatisticsPublisher(IGrainFactory grains, TrackerStatistics statistics, ILogger<StatisticsPublisher> logger)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        ProtocolCounters? last = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = statistics.Snapshot();
                if (now == last)
                    continue;
                try
                {
                    await ClusterStatistics.Get(grains).Report(statistics.ProcessId, now);
                    last = now;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogDebug(e, "could not report request counters; retrying");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
