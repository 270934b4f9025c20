using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansTracker.Grains;

namespace OrleansTracker.Silo.Persistence;

/// <summary>
/// Lets a torrent activate while the database cannot be read (a server that went away at run
/// time). Orleans reads grain state during activation, and a failed read fails the activation, so
/// every announce for a torrent first seen during the outage would go unanswered. A failed first
/// read instead leaves the state empty and marks it with <see cref="StorageNames.UnreadETag"/>;
/// the torrent grain reads again before its first write and merges (see CompletedCountWriter).
/// Any later read or write fails as usual. It forwards the silo lifecycle to the wrapped provider.
/// </summary>
internal sealed partial class ReadTolerantGrainStorage(IGrainStorage inner, ILogger<ReadTolerantGrainStorage> logger)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var activationRead = grainState.ETag is null && !grainState.RecordExists;
        try
        {
            await inner.ReadStateAsync(stateName, grainId, grainState);
        }
        catch (Exception e) when (activationRead && e is not OperationCanceledException)
        {
            LogUnread(logger, e, grainId);
            grainState.ETag = StorageNames.UnreadETag;
            grainState.RecordExists = false;
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        grainState.ETag == StorageNames.UnreadETag
            ? throw new InvalidOperationException($"The state of {grainId} was never read; it must be read before it is written.")
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        grainState.ETag == StorageNames.UnreadETag
            ? throw new InvalidOperationException($"The state of {grainId} was never read; it must be read before it is cleared.")
            : inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle) =>
        (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the stored state of {GrainId}; it starts empty and is merged with the stored one once the database answers")]
    private static partial void LogUnread(ILogger logger, Exception exception, GrainId grainId);
}
