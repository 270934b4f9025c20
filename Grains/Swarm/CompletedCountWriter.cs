using Microsoft.Extensions.Logging;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// Takes a swarm's completed count to storage, never per announce: the swarm's sweep partition is
/// told once that the count changed (<see cref="TakeReport"/>) and asks for a flush at
/// persistence_interval. Writes never overlap; a failed write keeps the count in memory, dirty, for
/// the partition's next tick. Plain single-threaded class: the owning grain calls it one turn at a
/// time, but a flush's awaits interleave with the grain's other calls.
/// </summary>
public sealed class CompletedCountWriter
{
    private readonly Swarm _swarm;
    private readonly ICompletedCountStore _store;
    private readonly InfoHash _hash;
    private readonly ILogger _logger;
    // The count the database holds as far as this activation knows: read at activation, updated
    // only by a successful write. A failed write leaves it (and so IsDirty) alone.
    private long _saved;
    // The write in progress, if any: flushes interleave with announces, but writes never overlap.
    private Task<bool>? _write;
    // The count that write is storing (the partition need not hear of it again).
    private long? _writing;
    // The partition has been told the count needs a flush, and has not asked for it yet.
    private bool _reported;

    public CompletedCountWriter(Swarm swarm, ICompletedCountStore store, InfoHash hash, ILogger logger)
    {
        _swarm = swarm;
        _store = store;
        _hash = hash;
        _logger = logger;
        _saved = store.Stored;
    }

    /// <summary>The swarm's count differs from the stored one.</summary>
    public bool IsDirty => _swarm.Completed != _saved;

    /// <summary>
    /// True once per change that neither the partition has heard of nor a running write stores:
    /// the caller then tells the partition (MarkDirty).
    /// </summary>
    public bool TakeReport()
    {
        if (_reported || _swarm.Completed == (_writing ?? _saved))
            return false;
        _reported = true;
        return true;
    }

    /// <summary>
    /// True when the count is dirty, whatever was reported before: a new partition activation
    /// (which does not know it) must hear of it. IsDirty, not "differs from the write in progress":
    /// if that write fails, the partition that asked for it (perhaps the lost one) would have been
    /// the one to retry.
    /// </summary>
    public bool TakeReportAgain()
    {
        if (!IsDirty)
            return false;
        _reported = true;
        return true;
    }

    /// <summary>Writes the count if it changed: waits for a running write first, then writes what is left.</summary>
    public async Task<bool> FlushAsync()
    {
        while (_write is { IsCompleted: false } running)
            await running;
        _reported = false;
        if (!IsDirty)
            return true;
        var write = WriteAsync(_swarm.Completed);
        _write = write;
        return await write;
    }

    private async Task<bool> WriteAsync(long completed)
    {
        _writing = completed;
        try
        {
            if (!_store.WasRead)
            {
                // Activated while the database could not be read: the swarm counted from 0. Read
                // the stored count now (this throws while the database is still away) and add it,
                // so a stored count is never overwritten with a smaller one.
                await _store.ReadAsync();
                var stored = _store.Stored;
                _swarm.AddCompleted(stored - _saved);
                _logger.LogInformation("Stored completed count of {InfoHash} read after all: {Stored}; merged with this activation's, now {Completed}", _hash, stored, _swarm.Completed);
                _saved = stored;
                completed = _swarm.Completed;
                _writing = completed;
                if (completed == _saved)
                    return true;
            }
            await _store.WriteAsync(completed);
            _saved = completed;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Keep the count in memory (IsDirty stays true); the partition retries at its next tick.
            _logger.LogWarning(e, "Could not save the completed count of {InfoHash}; will retry", _hash);
            _reported = true;
            return false;
        }
        finally
        {
            _writing = null;
        }
    }
}
