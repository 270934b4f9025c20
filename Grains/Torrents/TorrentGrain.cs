using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;
using Orleans.Storage;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;
using OrleansTracker.Grains.Routing;
using OrleansTracker.Grains.Swarm;

namespace OrleansTracker.Grains.Torrents;

/// <summary>
/// One torrent: a thin Orleans shell around three plain classes (Grains/Swarm), each tested
/// without Orleans: the <see cref="Swarm.Swarm"/> (peers, in memory only), the
/// <see cref="CompletedCountWriter"/> (the persisted completed count, written when the partition
/// flushes and on deactivation, never per announce) and the <see cref="PartitionMembership"/>
/// (what the sweep partition knows of this swarm). The grain adds the silo's registry of its swarms
/// (<see cref="SiloSwarms"/>) and leaves memory whenever it holds nothing.
/// </summary>
[TorrentOwnerPlacement]
internal sealed partial class TorrentGrain(TorrentGrainServices shared) : Grain, ITorrentGrain
{
    // The state's name in storage: the same row the [PersistentState("torrent")] facet used. Not
    // the facet, which always reads at activation: this grain reads only what may be stored.
    private const string StateName = "torrent";

    private InfoHash _hash;
    private Swarm.Swarm _swarm = null!;
    private CompletedCountWriter _count = null!;
    private PartitionMembership _membership = null!;
    private SiloSwarmEntry _entry = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _hash = InfoHash.ParseHex(this.GetPrimaryKeyString());
        var partition = shared.Partition(_hash);
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Torrents);
        // Without a catalog (persistence off) the partition knows nothing stored: no call to it.
        var store = new StoredCompletedCount(StateName, storage, GrainContext, shared.HasStoredCatalog ? partition : null, _hash);
        await store.LoadAsync();
        _swarm = new Swarm.Swarm(shared.SwarmOptions, shared.Clock, store.Stored);
        _count = new CompletedCountWriter(_swarm, store, _hash, shared.Logger);
        _membership = new PartitionMembership(new PartitionMailbox(partition, _hash), shared.Options.CleanupInterval);
        _entry = shared.Silo.Activated(_hash);
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
            shared.Silo.AddPeersEvicted(_swarm.EvictedPeers - evicted);
        shared.Silo.PeersNow(_entry, _swarm.PeerCount);
        AfterAnnounce();
        return ValueTask.FromResult(result);
    }

    /// <summary>What every announce, of any protocol, tells the silo's registry and the partition.</summary>
    private void AfterAnnounce()
    {
        var now = shared.Clock.GetUtcNow();
        _entry.Announced(now.UtcTicks);
        _membership.Announced(_swarm, _count, now);
        LeaveIfHoldingNothing();
    }

    [NoProfiling]
    public ValueTask<SwarmCounts> Scrape()
    {
        // Peers past peer_timeout must not be counted between partition sweeps (an announce
        // expires them the same way). Synchronous, so [ReadOnly] interleaving cannot observe it.
        RemoveExpiredIfDue();
        // A scrape of an unknown torrent must not leave an activation behind (scrape floods with
        // random hashes would otherwise fill memory).
        LeaveIfHoldingNothing();
        return ValueTask.FromResult(_swarm.Counts);
    }

    public ValueTask<TorrentDetails> Details()
    {
        RemoveExpiredIfDue();
        LeaveIfHoldingNothing();
        var peers = _swarm.SnapshotPeers()
            .Select(p => new PeerInfo(p.PeerId, p.Endpoint, p.Uploaded, p.Downloaded, p.Left, p.LastAnnounce.ToUnixTimeMilliseconds(), p.LastEvent))
            .ToArray();
        return ValueTask.FromResult(new TorrentDetails(_swarm.Counts, peers));
    }

    public async ValueTask<SweepReport> Sweep()
    {
        var now = shared.Clock.GetUtcNow();
        RemoveWebSocketPeersOfGoneSilos();
        var expired = _swarm.RemoveExpired();
        shared.Silo.PeersNow(_entry, _swarm.PeerCount);
        // An unsaved count keeps the grain (and its registration) until a flush succeeds:
        // deactivating now would lose it.
        var removed = _swarm.IsEmpty
            && (shared.Options.CleanupPeerless || !_membership.IsRegistered)
            && (!_count.IsDirty || await _count.FlushAsync());
        _membership.Swept(now, _swarm.Counts);
        if (removed)
        {
            _membership.RemovedBySweep();
            DeactivateOnIdle();
        }
        return new SweepReport(_swarm.Counts, expired, removed);
    }

    public ValueTask Rejoin()
    {
        _membership.Rejoin(_swarm.Counts, _count, shared.Clock.GetUtcNow());
        LeaveIfHoldingNothing();   // activated only by this call
        return ValueTask.CompletedTask;
    }

    public async ValueTask<bool> Flush()
    {
        var saved = await _count.FlushAsync();
        // Woken only to flush (e.g. after it already saved on deactivation): do not linger.
        LeaveIfHoldingNothing();
        return saved;
    }

    public async ValueTask<long> ImportCompleted(long completed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completed);
        if (completed > _swarm.Completed)
            _swarm.AddCompleted(completed - _swarm.Completed);
        if (!await _count.FlushAsync())
            throw new InvalidOperationException($"the completed count of {_hash} could not be saved");
        // An import touches many torrents once each: do not keep them all in memory.
        LeaveIfHoldingNothing();
        return _swarm.Completed;
    }

    public async ValueTask<bool> Evict(long lastAnnounceUtcTicks)
    {
        // The picked activation left on its own and this call woke a fresh, empty one: it holds
        // nothing, so it goes at once (not counted: the eviction it was picked for never happened).
        if (LeaveIfHoldingNothing())
            return false;
        if (_entry.LastAnnounceTicks > lastAnnounceUtcTicks)
            return false;
        // The count is saved before the swarm leaves; while the database is away the swarm stays
        // (a lost completed count is worse than memory held a little longer).
        if (_count.IsDirty && !await _count.FlushAsync())
            return false;
        shared.Silo.Leaving(_entry);
        DeactivateOnIdle();
        return true;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            if (_count.IsDirty && !await _count.FlushAsync())
                shared.Logger.LogError("The completed count {Completed} of {InfoHash} is lost: it could not be saved before the grain deactivated ({Reason})", _swarm.Completed, _hash, reason);
            // On silo shutdown the partitions go too; telling them would only log delivery failures.
            if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
                await _membership.Leave();
        }
        finally
        {
            shared.Silo.Deactivated(_hash, _entry);
        }
    }

    private void RemoveExpiredIfDue()
    {
        _swarm.RemoveExpiredIfDue();
        shared.Silo.PeersNow(_entry, _swarm.PeerCount);
    }

    /// <summary>
    /// Deactivates when the grain holds nothing worth memory: no peers, no registration with its
    /// partition, no unsaved completed count. True when it does.
    /// </summary>
    private bool LeaveIfHoldingNothing()
    {
        var holdsNothing = !_membership.IsRegistered && _swarm.IsEmpty && !_count.IsDirty;
        if (holdsNothing)
            DeactivateOnIdle();
        return holdsNothing;
    }
}
