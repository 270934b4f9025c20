using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.Routing;

namespace OrleansTracker.Frontends.Routing;

/// <summary>
/// The announces waiting for one other silo. They leave together in one call to that silo's
/// router: at the end of a UDP receive batch (<see cref="RoutingBatch"/>), or, for requests that
/// arrive one by one (HTTP), from a thread-pool work item queued by the first of them, which runs
/// once the threads busy with the others yield, so a loaded frontend sends large batches and an
/// idle one adds no wait.
/// </summary>
internal sealed class OwnerChannel(IAnnounceRouterGrain router, RoutingCounters counters) : IThreadPoolWorkItem
{
    /// <summary>Announces per message; larger batches are split (bounded message size).</summary>
    public const int MaxBatch = 256;

    /// <summary>
    /// Batches one owner may have on the wire at once. While they are out, new announces queue and
    /// leave together when one comes back, so batches grow with the load, and an idle frontend
    /// never waits (nothing is out, so the first announce leaves at once). Not 1 or 2: at 32
    /// requests in flight over two silos, two batches on the wire made the remote round trip the
    /// bottleneck (fewer answers per second than one call per announce, docs/benchmarks.md); with
    /// 16 each receive batch leaves at once and a loaded frontend still sends batches.
    /// </summary>
    public const int MaxInFlight = 16;

    private readonly object _gate = new();
    private List<PendingAnnounce> _queue = new(MaxBatch);
    private bool _scheduled;
    private int _inFlight;

    public ValueTask<AnnounceResult> Add(InfoHash hash, in AnnounceRequest request)
    {
        var pending = PendingAnnounce.Rent(hash, request);
        var task = pending.Task;
        bool schedule;
        lock (_gate)
        {
            _queue.Add(pending);
            schedule = !_scheduled && _inFlight < MaxInFlight;
            if (schedule)
                _scheduled = true;
        }
        if (schedule && !RoutingBatch.Defer(this))
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        return task;
    }

    void IThreadPoolWorkItem.Execute() => Flush();

    public void Flush()
    {
        List<PendingAnnounce> items;
        lock (_gate)
        {
            _scheduled = false;
            if (_queue.Count == 0 || _inFlight >= MaxInFlight)
                return;
            items = _queue;
            _queue = new List<PendingAnnounce>(MaxBatch);
            _inFlight++;
        }
        _ = Send(items);
    }

    /// <summary>Never throws: every failure is handed to the waiting announces (see the overload below).</summary>
    private async Task Send(List<PendingAnnounce> items)
    {
        try
        {
            for (var start = 0; start < items.Count; start += MaxBatch)
                await Send(items, start, Math.Min(MaxBatch, items.Count - start));
        }
        finally
        {
            lock (_gate)
                _inFlight--;
            Flush();
        }
    }

    private async Task Send(List<PendingAnnounce> items, int start, int count)
    {
        counters.BatchSent(count);
        var batch = RoutedBatchCodec.NewRequests(count);
        for (var i = 0; i < count; i++)
            RoutedBatchCodec.WriteRequest(batch, i, items[start + i].Hash, items[start + i].Request);
        AnnounceResult?[] results;
        try
        {
            results = RoutedBatchCodec.ReadAnswers(await router.Announce(batch), count);
        }
        catch (Exception e)
        {
            for (var i = 0; i < count; i++)
                items[start + i].Fail(e);
            return;
        }
        for (var i = 0; i < count; i++)
        {
            if (results[i] is { } result)
                items[start + i].Complete(result);
            else
                items[start + i].Fail(new RoutedAnnounceFailedException());
        }
    }
}

/// <summary>The owner silo answered the batch but this torrent's call failed there.</summary>
public sealed class RoutedAnnounceFailedException : Exception
{
    public RoutedAnnounceFailedException()
        : base("the torrent's grain call failed on its owner silo")
    {
    }

    public RoutedAnnounceFailedException(string message)
        : base(message)
    {
    }

    public RoutedAnnounceFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
