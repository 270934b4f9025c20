using Orleans.Serialization.Invocation;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// Keeps Orleans' per-thread pool of grain-call completion sources from growing without bound.
/// </summary>
/// <remarks>
/// Orleans takes a <see cref="ResponseCompletionSource{TResult}"/> from a per-thread stack when a
/// call starts and pushes it back on whichever thread reads the result (the stacks have no size
/// limit). The UDP receive threads start every announce but never read a result, so each announce
/// left one completion source (64 bytes) on a thread-pool thread's stack for good: 992,745 of them,
/// 64 MB, after one fill of 1M peers (docs/benchmarks.md, gcdump). Taking one back on the thread that
/// just returned it balances that thread's stack; the object taken is garbage, exactly the
/// allocation the receive thread made anyway.
/// </remarks>
internal static class CompletionSourceBalance
{
    /// <summary>Call right after awaiting a grain call started on another thread.</summary>
    public static void TakeOne<TResult>() => _ = ResponseCompletionSourcePool.Get<TResult>();
}
