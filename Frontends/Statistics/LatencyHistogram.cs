using System.Diagnostics;

namespace OrleansTracker.Frontends.Statistics;

/// <summary>
/// A Prometheus-style latency histogram with fixed buckets: one interlocked increment of a bucket,
/// the count and the sum per observation, no lock and no allocation.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds (the last bucket, +Inf, is implicit).</summary>
    public static readonly double[] Bounds = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    private static readonly long[] BoundTicks = Bounds.Select(b => (long)(b * Stopwatch.Frequency)).ToArray();

    // One slot per bound plus +Inf; not cumulative (the writer sums them).
    private readonly long[] _buckets = new long[Bounds.Length + 1];
    private long _count;
    private long _sumTicks;

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public void ObserveSince(long startTimestamp)
    {
        var ticks = Stopwatch.GetTimestamp() - startTimestamp;
        var bucket = 0;
        while (bucket < BoundTicks.Length && ticks > BoundTicks[bucket])
            bucket++;
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumTicks, ticks);
    }

    public long Count => Interlocked.Read(ref _count);

    public double SumSeconds => (double)Interlocked.Read(ref _sumTicks) / Stopwatch.Frequency;

    /// <summary>Cumulative counts per bound, then +Inf (what Prometheus' <c>le</c> buckets hold).</summary>
    public long[] CumulativeBuckets()
    {
        var cumulative = new long[_buckets.Length];
        long running = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            running += Interlocked.Read(ref _buckets[i]);
            cumulative[i] = running;
        }
        return cumulative;
    }
}
