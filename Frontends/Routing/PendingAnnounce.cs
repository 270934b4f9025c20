using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Routing;

/// <summary>
/// One announce waiting in an owner's batch: the awaitable the frontend holds until the batch's
/// answer arrives. Pooled, so a routed announce allocates no completion object of its own.
/// </summary>
internal sealed class PendingAnnounce : IValueTaskSource<AnnounceResult>
{
    private const int MaxPooled = 4096;
    private static readonly ConcurrentQueue<PendingAnnounce> Pool = new();
    private ManualResetValueTaskSourceCore<AnnounceResult> _core = new() { RunContinuationsAsynchronously = false };

    public InfoHash Hash { get; private set; }
    public AnnounceRequest Request { get; private set; }

    public static PendingAnnounce Rent(InfoHash hash, in AnnounceRequest request)
    {
        if (!Pool.TryDequeue(out var pending))
            pending = new PendingAnnounce();
        pending.Hash = hash;
        pending.Request = request;
        return pending;
    }

    public ValueTask<AnnounceResult> Task => new(this, _core.Version);

    public void Complete(AnnounceResult result) => _core.SetResult(result);

    public void Fail(Exception error) => _core.SetException(error);

    public AnnounceResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Request = default;
            if (Pool.Count < MaxPooled)
                Pool.Enqueue(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
