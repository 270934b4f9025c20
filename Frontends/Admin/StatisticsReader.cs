using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// Cluster-wide statistics in 17 grain calls, whatever the number of torrents: the running sums of
/// the 16 sweep partitions, the other processes' request counters, and this process's live ones.
/// </summary>
internal sealed class StatisticsReader(IGrainFactory grains, TrackerStatistics local)
{
    public async Task<(SwarmTotals Swarms, ProtocolCounters Requests)> Read()
    {
        var others = ClusterStatistics.Get(grains).Total(local.ProcessId);
        var partitions = Enumerable.Range(0, SweepPartitions.Count)
            .Select(i => grains.GetGrain<ISweepPartitionGrain>(i).Totals())
            .ToArray();
        var totals = await Task.WhenAll(partitions);
        var swarms = totals.Aggregate(default(SwarmTotals), (sum, t) => sum.Plus(t));
        return (swarms, (await others).Plus(local.Snapshot()));
    }
}
