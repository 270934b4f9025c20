using Orleans.Storage;
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
/// <remarks>
/// It is its own <see cref="IGrainState{T}"/> and calls the grain storage directly: Orleans'
/// <c>StateStorageBridge</c> with its <c>GrainState</c> and lock object cost about 136 bytes per
/// torrent (docs/benchmarks.md, "Memory per torrent"), and the <see cref="CompletedCountWriter"/>
/// already keeps this store's reads and writes from overlapping.
/// </remarks>
internal sealed class StoredCompletedCount(
    string stateName, IGrainStorage storage, IGrainContext grain, ISweepPartitionGrain? partition, InfoHash hash)
    : ICompletedCountStore, IGrainState<TorrentState>
{
    // Bounds on the partition calls: a partition that is moving (its silo stopping) must not hold
    // up an activation or a write; the fallbacks are safe (read anyway; write anyway, see below).
    // The ask is on the path of the request that activated the torrent, and the read it saves
    // is a few milliseconds: with a 2 s bound, asks made while a silo stopped or a partition first
    // activated timed out and held the first scrape after a SIGTERM for 1.8-4.8 s in 3 of 8 runs
    // of MultiProcessClusterTests run alone (0 of 7 without the ask); with 250 ms, 0 of 10.
    // The tell sits on the path of a deactivation too, and a deactivating torrent holds every
    // request sent to it: when a silo stops, Orleans' directory deactivates the survivors'
    // activations it registered, and each of those that never stored its count tells a partition
    // that is itself moving. With 5 s the first scrape after a SIGTERM waited 4.5-4.9 s in 1 of 10
    // runs of MultiProcessClusterTests; a failed tell is safe while the partition moves (its next
    // activation answers "may be" until it has scanned the table) and retried at the next write.
    private static readonly TimeSpan AskFor = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan TellFor = TimeSpan.FromSeconds(1);

    private TorrentState? _state;
    private bool _read;
    // The partition has not confirmed it knows this torrent's row (WillStore failed): tell it again at the next write.
    private bool _untold;

    public bool WasRead => _read && ETag != StorageNames.UnreadETag;

    public long Stored => _read ? State.Completed : 0;

    // Storage providers may set null for "no record"; the count is then 0.
    TorrentState? IGrainState<TorrentState>.State { get => _state; set => _state = value; }

    private TorrentState State => _state ??= new();

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }

    /// <summary>The activation's read: skipped when the partition says nothing is stored; a failed read leaves it unread.</summary>
    public async Task LoadAsync()
    {
        if (partition is not null && !await MayBeStored())
            return;
        await Read();
        _read = true;
    }

    public async Task ReadAsync()
    {
        await Read();
        _read = true;
        // A first read that failed is swallowed by the storage (ReadTolerantGrainStorage) and
        // leaves the state unread: for a caller that must not write before reading, it failed.
        if (ETag == StorageNames.UnreadETag)
            throw new InvalidOperationException($"the stored completed count of {hash} could not be read");
    }

    public async Task WriteAsync(long completed)
    {
        if (partition is not null && (!RecordExists || _untold))
            _untold = !await Tell();
        var before = State.Completed;
        State.Completed = completed;
        try
        {
            await storage.WriteStateAsync(stateName, grain.GrainId, this);
        }
        catch
        {
            State.Completed = before;
            throw;
        }
    }

    private Task Read() => storage.ReadStateAsync(stateName, grain.GrainId, this);

    /// <summary>True unless the partition answers that the hash was never stored (a failed or slow call reads, to be safe).</summary>
    private async Task<bool> MayBeStored()
    {
        try
        {
            return await partition!.MayBeStored(hash).WaitAsync(AskFor);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>
    /// Tells the partition before the row exists. When it cannot be told (it is moving: its silo
    /// stops or was lost) the count is written anyway, since losing it is worse: the partition's
    /// next activation scans the table a minute after it starts, by when this row exists. Only a
    /// partition that stays but cannot be reached is left not knowing (until the next write tells
    /// it); an activation that then skips the read still merges the row before it writes.
    /// </summary>
    private async Task<bool> Tell()
    {
        try
        {
            await partition!.WillStore(hash).WaitAsync(TellFor);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }
}
