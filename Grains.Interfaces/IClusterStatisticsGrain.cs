using Orleans;
using Orleans.Concurrency;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// Collects every silo's per-protocol request counters (one grain per cluster, key 0). Each silo
/// counts locally with interlocked increments and reports its totals here once a second, so a
/// statistics read costs one call however busy the cluster is.
/// </summary>
public interface IClusterStatisticsGrain : IGrainWithIntegerKey
{
    /// <summary>The latest totals of the process <paramref name="reporter"/> (its counters only grow).</summary>
    [OneWay]
    Task Report(Guid reporter, ProtocolCounters counters);

    /// <summary>The sum over every process that reported, except <paramref name="except"/> (the caller, which adds its live counters).</summary>
    [ReadOnly]
    Task<ProtocolCounters> Total(Guid except);
}

public static class ClusterStatistics
{
    public static IClusterStatisticsGrain Get(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IClusterStatisticsGrain>(0);
    }
}
