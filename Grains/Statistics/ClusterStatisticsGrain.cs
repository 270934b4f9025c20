using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Statistics;

/// <summary>
/// The latest counters of every tracker process. A process that stops reporting keeps its last
/// totals, so the cluster's counters never go backwards when a silo leaves; they start again from
/// what the live processes report if this grain itself moves (as Torrust's reset on restart).
/// </summary>
internal sealed class ClusterStatisticsGrain : Grain, IClusterStatisticsGrain
{
    private readonly Dictionary<Guid, ProtocolCounters> _byProcess = [];

    public Task Report(Guid reporter, ProtocolCounters counters)
    {
        // Reports are one-way and may arrive out of order; a process's totals only grow, so the
        // larger value of each counter is the newer one.
        _byProcess[reporter] = _byProcess.TryGetValue(reporter, out var known) ? known.Max(counters) : counters;
        return Task.CompletedTask;
    }

    public Task<ProtocolCounters> Total(Guid except)
    {
        var total = ProtocolCounters.Zero;
        foreach (var (process, counters) in _byProcess)
        {
            if (process != except)
                total = total.Plus(counters);
        }
        return Task.FromResult(total);
    }
}
