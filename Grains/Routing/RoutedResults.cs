using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.Routing;

namespace OrleansTracker.Grains.Routing;

/// <summary>
/// Gathers the answers of one routed batch. Each torrent call's completion writes its slot on
/// whatever thread completes it (no turn on the router's activation per announce: the router
/// holds no state to protect), and the last one encodes the answers and completes the batch.
/// </summary>
internal sealed class RoutedResults(int count, ILogger logger)
{
    private readonly AnnounceResult?[] _results = new AnnounceResult?[count];
    private readonly TaskCompletionSource<byte[]> _done = new();
    // One extra count, released by Completed, so the batch cannot finish while calls are still being started.
    private int _outstanding = count + 1;

    public ValueTask<byte[]> Completed
    {
        get
        {
            Release();
            return new ValueTask<byte[]>(_done.Task);
        }
    }

    public void Track(int index, ValueTask<AnnounceResult> call)
    {
        if (call.IsCompleted)
        {
            Take(index, call);
            return;
        }
        var awaiter = call.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(() => Take(index, awaiter));
    }

    private void Take(int index, ValueTask<AnnounceResult> call)
    {
        try
        {
            _results[index] = call.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailure(index, e);
        }
        Release();
    }

    private void Take(int index, ConfiguredValueTaskAwaitable<AnnounceResult>.ConfiguredValueTaskAwaiter awaiter)
    {
        try
        {
            _results[index] = awaiter.GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailure(index, e);
        }
        Release();
    }

    private void LogFailure(int index, Exception e)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug(e, "routed announce {Index} of a batch failed", index);
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
            _done.SetResult(RoutedBatchCodec.EncodeAnswers(_results));
    }
}
