using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;
using OrleansTracker.Grains.Routing;
using OrleansTracker.Grains.Swarm;

namespace OrleansTracker.Grains.Torrents;

/// <summary>
/// One torrent: a thin Orleans shell around <see cref="Swarm.Swarm"/>. Peers live only in memory;
/// the completed count is persisted, but never per announce: the grain tells its partition once
/// that it changed, and the partition flushes it at persistence_interval (and the grain flushes on
/// deactivation, which includes a graceful silo shutdown).
/// </summary>
[TorrentOwnerPlacement]
internal sealed class TorrentGrain : Grain, ITorrentGrain
{
    private readonly IPersistentState<TorrentState> _state;
    private readonly TorrentOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<TorrentGrain> _logger;
    private readonly SwarmCap _cap;
    private SwarmCapEntry _capEntry = null!;
    private Swarm.Swarm _swarm = null!;
    private InfoHash _hash;
    private ISweepPartitionGrain _partition = null!;
    private bool _registered;
    private bool _dirtyReported;
    private long _reportVersion;
    // The counts the partition holds for this swarm (it sums them for the statistics).
    private SwarmCounts _reported;
    private DateTimeOffset _lastSweep;
    // The count the database holds as far as this activation knows: read at activation, updated
    // only by a successful write. A failed write leaves it (and so IsDirty) alone.
    private long _saved;
    // The write in progress, if any: Flush interleaves with announces, but writes never overlap.
    private Task<bool>? _write;
    // The count that write is storing (the partition need not hear of it again).
    private long? _writing;

    public TorrentGrain(
        [PersistentState("torrent", StorageNames.Torrents)] IPersistentState<TorrentState> state,
        IOptions<TorrentOptions> options,
        TimeProvider clock,
        SwarmCap cap,
        ILogger<TorrentGrain> logger)
    {
        _cap = cap;
        _state = state;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _hash = InfoHash.ParseHex(this.GetPrimaryKeyString());
        _saved = _state.State.Completed;
        _swarm = new Swarm.Swarm(
            new SwarmOptions(_options.PeerTimeout, _options.DefaultNumWant, _options.MaxNumWant, _options.MaxPeersPerSwarm),
            _clock,
            _saved);
        _partition = GrainFactory.GetGrain<ISweepPartitionGrain>(SweepPartitions.For(_hash));
        _capEntry = _cap.Activated(_hash, this.AsReference<ITorrentGrain>());
        return Task.CompletedTask;
    }

    // [NoProfiling]: the dashboard's per-call profiler, while someone views the dashboard, cost
    // more than 10 % of UDP announce throughput (docs/benchmarks.md). Announce and scrape rates
    // and latencies are in the admin API's metrics instead.
    [NoProfiling]
    public ValueTask<AnnounceResult> Announce(AnnounceRequest request)
    {
        var evicted = _swarm.EvictedPeers;
        var result = _swarm.Announce(request);
        if (_swarm.EvictedPeers != evicted)
            _cap.AddPeersEvicted(_swarm.EvictedPeers - evicted);
        _cap.PeersNow(_capEntry, _swarm.PeerCount);
        var now = _clock.GetUtcNow();
        _capEntry.Announced(now.UtcTicks);
        KeepPartitionInformed(now);
        if (!_registered && _swarm.IsEmpty && !IsDirty)
            DeactivateOnIdle();
        return ValueTask.FromResult(result);
    }

    [NoProfiling]
    public ValueTask<SwarmCounts> Scrape()
    {
        // Peers past peer_timeout must not be counted between partition sweeps (an announce
        // expires them the same way). Synchronous, so [ReadOnly] interleaving cannot observe it.
        _swarm.RemoveExpiredIfDue();
        _cap.PeersNow(_capEntry, _swarm.PeerCount);
        // A scrape of an unknown torrent must not leave an activation behind (scrape floods with
        // random hashes would otherwise fill memory).
        if (!_registered && _swarm.IsEmpty && !IsDirty)
            DeactivateOnIdle();
        return ValueTask.FromResult(_swarm.Counts);
    }

    public ValueTask<TorrentDetails> Details()
    {
        _swarm.RemoveExpiredIfDue();
        _cap.PeersNow(_capEntry, _swarm.PeerCount);
        if (!_registered && _swarm.IsEmpty && !IsDirty)
            DeactivateOnIdle();
        var peers = _swarm.SnapshotPeers()
            .Select(p => new PeerInfo(p.PeerId, p.Endpoint, p.Uploaded, p.Downloaded, p.Left, p.LastAnnounce.ToUnixTimeMilliseconds(), p.LastEvent))
            .ToArray();
        return ValueTask.FromResult(new TorrentDetails(_swarm.Counts, peers));
    }

    public async ValueTask<SweepReport> Sweep()
    {
        _lastSweep = _clock.GetUtcNow();
        var expired = _swarm.RemoveExpired();
        _cap.PeersNow(_capEntry, _swarm.PeerCount);
        var removed = _swarm.IsEmpty && (_options.CleanupPeerless || !_registered);
        if (removed)
        {
            // An unsaved count keeps the grain (and its registration) until a flush succeeds:
            // deactivating now would lose it.
            if (IsDirty && !await Flush())
                return new SweepReport(_swarm.Counts, expired, false);
            _registered = false;
            DeactivateOnIdle();
        }
        _reported = _swarm.Counts;   // the partition takes the counts from this report
        return new SweepReport(_swarm.Counts, expired, removed);
    }

    public ValueTask Rejoin()
    {
        if (_registered)
        {
            _lastSweep = _clock.GetUtcNow();
            _reported = _swarm.Counts;
            _ = _partition.Register(_hash, _reported, NextReportVersion());
        }
        // IsDirty, not "differs from the write in progress": if that write fails, the partition
        // that asked for it (perhaps the lost one) would have been the one to retry.
        if (IsDirty)
        {
            _dirtyReported = true;
            _ = _partition.MarkDirty(_hash);
        }
        else if (!_registered && _swarm.IsEmpty)
        {
            DeactivateOnIdle();   // activated only by this call
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask<bool> Flush()
    {
        // [AlwaysInterleave]: another Flush may be writing; wait for it, then write what is left.
        while (_write is { IsCompleted: false } running)
            await running;
        _dirtyReported = false;
        if (!IsDirty)
        {
            // Woken only to flush (e.g. after it already saved on deactivation): do not linger.
            if (!_registered && _swarm.IsEmpty)
                DeactivateOnIdle();
            return true;
        }
        var write = WriteAsync(_swarm.Completed);
        _write = write;
        return await write;
    }

    public async ValueTask<long> ImportCompleted(long completed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completed);
        if (completed > _swarm.Completed)
            _swarm.AddCompleted(completed - _swarm.Completed);
        if (!await Flush())
            throw new InvalidOperationException($"the completed count of {_hash} could not be saved");
        // An import touches many torrents once each: do not keep them all in memory.
        if (!_registered && _swarm.IsEmpty)
            DeactivateOnIdle();
        return _swarm.Completed;
    }

    private async Task<bool> WriteAsync(long completed)
    {
        _writing = completed;
        try
        {
            if (_state.Etag == StorageNames.UnreadETag)
            {
                // Activated while the database could not be read: the swarm counted from 0. Read
                // the stored count now (this throws while the database is still away) and add it,
                // so a stored count is never overwritten with a smaller one.
                await _state.ReadStateAsync();
                var stored = _state.State.Completed;
                _swarm.AddCompleted(stored - _saved);
                _logger.LogInformation("Stored completed count of {InfoHash} read after all: {Stored}; merged with this activation's, now {Completed}", _hash, stored, _swarm.Completed);
                _saved = stored;
                completed = _swarm.Completed;
                _writing = completed;
                if (completed == _saved)
                    return true;
            }
            _state.State.Completed = completed;
            await _state.WriteStateAsync();
            _saved = completed;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Keep the count in memory (IsDirty stays true); the partition retries at its next tick.
            _state.State.Completed = _saved;
            _logger.LogWarning(e, "Could not save the completed count of {InfoHash}; will retry", _hash);
            _dirtyReported = true;
            return false;
        }
        finally
        {
            _writing = null;
        }
    }

    public async ValueTask<bool> Evict(long lastAnnounceUtcTicks)
    {
        // The picked activation left on its own and this call woke a fresh, empty one: it holds
        // nothing, so it goes at once (not counted: the eviction it was picked for never happened).
        if (!_registered && _swarm.IsEmpty && !IsDirty)
        {
            DeactivateOnIdle();
            return false;
        }
        if (_capEntry.LastAnnounceTicks > lastAnnounceUtcTicks)
            return false;
        // The count is saved before the swarm leaves; while the database is away the swarm stays
        // (a lost completed count is worse than memory held a little longer).
        if (IsDirty && !await Flush())
            return false;
        _cap.Leaving(_capEntry);
        DeactivateOnIdle();
        return true;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            if (IsDirty && !await Flush())
                _logger.LogError("The completed count {Completed} of {InfoHash} is lost: it could not be saved before the grain deactivated ({Reason})", _swarm.Completed, _hash, reason);
            // On silo shutdown the partitions go too; telling them would only log delivery failures.
            if (_registered && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
                await _partition.Unregister(_hash);
        }
        finally
        {
            _cap.Deactivated(_hash, _capEntry);
        }
    }

    private bool IsDirty => _swarm.Completed != _saved;

    /// <summary>
    /// Grows with every report, and across activations too: real time (not the injected clock,
    /// which tests freeze), so a swarm re-activated on another silo after a crash reports with a
    /// larger version than its lost activation did (silo clocks agree within far less than the
    /// seconds a crash takes to detect).
    /// </summary>
    private long NextReportVersion() => _reportVersion = Math.Max(_reportVersion + 1, DateTime.UtcNow.Ticks);

    /// <summary>
    /// Registers with the sweep partition when the swarm gets its first peer, reports the counts
    /// when they changed (a steady re-announce sends nothing), and reports a changed completed
    /// count once per flush. If no sweep came for a long time it registers again: a fallback, as
    /// the silo's PartitionWatch calls <see cref="Rejoin"/> soon after a partition moved.
    /// </summary>
    private void KeepPartitionInformed(DateTimeOffset now)
    {
        var counts = _swarm.Counts;
        if (!_swarm.IsEmpty && (!_registered || now - _lastSweep > _options.CleanupInterval * 2 + TimeSpan.FromMinutes(1)))
        {
            _registered = true;
            _lastSweep = now;
            _reported = counts;
            _ = _partition.Register(_hash, counts, NextReportVersion());
        }
        else if (_registered && counts != _reported)
        {
            _reported = counts;
            _ = _partition.Register(_hash, counts, NextReportVersion());
        }
        if (!_dirtyReported && _swarm.Completed != (_writing ?? _saved))
        {
            _dirtyReported = true;
            _ = _partition.MarkDirty(_hash);
        }
    }
}
