using OrleansTracker.Grains.Swarm;

namespace OrleansTracker.Grains.Torrents;

/// <summary>The torrent grain's persistent state as the <see cref="CompletedCountWriter"/>'s store.</summary>
internal sealed class StoredCompletedCount(IPersistentState<TorrentState> state) : ICompletedCountStore
{
    public bool WasRead => state.Etag != StorageNames.UnreadETag;

    public long Stored => state.State.Completed;

    public Task ReadAsync() => state.ReadStateAsync();

    public async Task WriteAsync(long completed)
    {
        var before = state.State.Completed;
        state.State.Completed = completed;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Completed = before;
            throw;
        }
    }
}
