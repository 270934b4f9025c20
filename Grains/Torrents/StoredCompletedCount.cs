using Orleans.Core;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;

namespace OrleansTracker.Grains.Torrents;

/// <summary>
/// The torrent grain's stored state as the <see cref="CompletedCountWriter"/>'s store. Read at
/// activation, unless the sweep partition knows the hash was never stored (a scrape of a random
/// hash then costs no database read); such an activation counts from 0 and reads before its first
/// write, as one that could not read does. With a partition to tell (persistence on), a write that
/// creates the row is announced to it first (<see cref="ISweepPartitionGrain.WillStore"/>).
/// </summary>
internal sealed class StoredCompletedCount(IStorage<TorrentState> state, ISweepPartitionGrain? partition, InfoHash hash)
    : ICompletedCountStore
{
    private bool _read;

    public bool WasRead => _read && state.Etag != StorageNames.UnreadETag;

    public long Stored => _read ? state.State.Completed : 0;

    /// <summary>The activation's read: skipped when the partition says nothing is stored; a failed read leaves it unread.</summary>
    public async Task LoadAsync()
    {
        if (partition is not null && !await MayBeStored())
            return;
        await state.ReadStateAsync();
        _read = true;
    }

    public async Task ReadAsync()
    {
        await state.ReadStateAsync();
        _read = true;
        // A first read that failed is swallowed by the storage (ReadTolerantGrainStorage) and
        // leaves the state unread: for a caller that must not write before reading, it failed.
        if (state.Etag == StorageNames.UnreadETag)
            throw new InvalidOperationException($"the stored completed count of {hash} could not be read");
    }

    public async Task WriteAsync(long completed)
    {
        if (partition is not null && !state.RecordExists)
            await partition.WillStore(hash);
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

    /// <summary>True unless the partition answers that the hash was never stored (a failed call reads, to be safe).</summary>
    private async Task<bool> MayBeStored()
    {
        try
        {
            return await partition!.MayBeStored(hash);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return true;
        }
    }
}
