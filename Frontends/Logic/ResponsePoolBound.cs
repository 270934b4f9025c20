using System.Reflection;
using Orleans.Serialization.Invocation;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// Bounds Orleans' pools of grain-call completion sources, which otherwise leak under our UDP
/// design. Orleans keeps them in per-thread stacks with no size limit (ConcurrentObjectPool,
/// MaxPoolSize = int.MaxValue): a source is taken on the thread that makes the call and returned
/// on the thread that reads the result. Our UDP receive loops are dedicated threads that make
/// every announce call, and the results are read on thread-pool threads that never make one, so
/// those threads' stacks grew without end: +510,000 objects (+39 MB of heap) in 100 s at 5,000
/// announces/s in bench/soak.sh. Capping each thread's stack keeps the reuse and drops the excess.
/// Reflection over Orleans internals: <c>ResponsePoolBoundTests</c> fails if an upgrade moves them.
/// </summary>
public static class ResponsePoolBound
{
    /// <summary>Sources kept per thread and result type (a few KB each way).</summary>
    public const int PerThread = 256;

    /// <summary>The result types the frontends' hot calls return.</summary>
    private static readonly Type[] HotResults = [typeof(AnnounceResult), typeof(SwarmCounts)];

    /// <summary>Applies the cap; returns the pools it capped (for the test).</summary>
    public static IReadOnlyList<object> Apply()
    {
        var typed = typeof(ResponseCompletionSourcePool).GetNestedType("TypedPool`1", BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Orleans' ResponseCompletionSourcePool.TypedPool<T> not found");
        var pools = new List<object>();
        foreach (var result in HotResults)
            pools.Add(Cap(typed.MakeGenericType(result).GetField("Pool", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)));
        pools.Add(Cap(typeof(ResponseCompletionSourcePool).GetField("UntypedPool", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)));
        return pools;
    }

    private static object Cap(object? pool)
    {
        var size = pool?.GetType().GetProperty("MaxPoolSize", BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException("Orleans' completion-source pool has no MaxPoolSize to cap");
        size.SetValue(pool, PerThread);
        return pool!;
    }
}
