using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// Knows the active swarms of one hash bucket. A single Orleans reminder per partition drives peer
/// timeout: on each tick the partition asks its swarms to drop expired peers. A grain timer flushes
/// the completed counts of the swarms that reported a change. The lists are in memory on purpose:
/// a new swarm costs no database write. A new activation (after its silo was lost or stopped)
/// starts empty and gets a new <see cref="Incarnation"/>; every silo's <see cref="PartitionWatch"/>
/// notices and has its swarms of this partition register again.
/// </summary>
[Reentrant]
internal sealed partial class SweepPartitionGrain : Grain, ISweepPartitionGrain, IRemindable, IDisposable
{
    private const string ReminderName = "sweep";
    // Bounded fan-out: enough to hide call latency, small enough not to flood the silo's queues
    // while announces are being served.
    private const int Fanout = 64;
    // How often at most a partition reads the reminder table to see that its reminder is still there.
    private static readonly TimeSpan ReminderCheckInterval = TimeSpan.FromSeconds(10);

    // Each registered swarm with the counts it last reported, and their running sums.
    private readonly RegisteredSwarms _swarms = new();
    // The torrent list: registered swarms, plus swarms gone from memory that have a completed
    // count (_idle, bounded), in hash order.
    private readonly TorrentIndex _index = new();
    private readonly IdleTorrentList _idle;
    private readonly MemoryCapCounters _memoryCaps;
    private readonly HashSet<InfoHash> _dirty = [];
    // Swarms that (re-)registered while a sweep was awaiting them: a "removed" report from the old
    // activation must not drop the new activation's registration.
    private readonly HashSet<InfoHash> _registeredDuringSweep = [];
    private readonly TorrentOptions _options;
    private readonly ILogger<SweepPartitionGrain> _logger;
    private readonly Guid _incarnation = Guid.NewGuid();
    private bool _sweeping;
    // When this activation last read its reminder from the table (RestoreReminderIfLost); 0: never.
    private long _reminderCheckedAt;
    private bool _flushing;

    private readonly IStoredTorrentCatalog? _catalog;
    private readonly CancellationTokenSource _stopping = new();

    public SweepPartitionGrain(
        IOptions<TorrentOptions> options, ILogger<SweepPartitionGrain> logger, IEnumerable<IStoredTorrentCatalog> catalog,
        MemoryCapCounters memoryCaps)
    {
        _options = options.Value;
        _logger = logger;
        _catalog = catalog.FirstOrDefault();
        _stored = _catalog is null ? null : new StoredTorrentFilter();
        _memoryCaps = memoryCaps;
        _idle = new IdleTorrentList(_index, IdleShare(_options.MaxIdleTorrentsListed));
    }

    /// <summary>max_idle_torrents_listed is for the cluster: each of the 16 partitions keeps its share.</summary>
    internal static int IdleShare(int clusterLimit) => (clusterLimit + SweepPartitions.Count - 1) / SweepPartitions.Count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(
            _ => FlushNow(),
            new GrainTimerCreationOptions(_options.PersistenceInterval, _options.PersistenceInterval) { KeepAlive = true });
        // Not awaited: the partition serves (registrations, sweeps) while these load.
        if (_catalog is not null)
        {
            _ = LoadStoredTorrents();
            _ = LoadStoredFilter(_stopping.Token);
        }
        return Task.CompletedTask;
    }

    public void Dispose() => _stopping.Dispose();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        // Not when the silo shuts down: its torrents flush themselves as they deactivate, those on
        // other silos keep their counts dirty and report them to this partition's next activation
        // (Rejoin), and a flush now would wait on deactivating torrents that may be waiting on this
        // partition (WillStore) until both time out.
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
            await FlushNow();
    }

    public async Task EnsureReminder() =>
        await this.RegisterOrUpdateReminder(ReminderName, _options.CleanupInterval, _options.CleanupInterval);

    public async Task RestoreReminderIfLost()
    {
        var now = TimeProvider.System.GetTimestamp();
        if (_reminderCheckedAt != 0 && TimeProvider.System.GetElapsedTime(_reminderCheckedAt, now) < ReminderCheckInterval)
            return;
        _reminderCheckedAt = now;
        if (await this.GetReminder(ReminderName) is not null)
            return;
        _logger.LogWarning("Sweep partition {Partition} had lost its reminder (its reminder table was on a silo that left); registered again", this.GetPrimaryKeyLong());
        await EnsureReminder();
    }

    public Task<Guid> Incarnation() => Task.FromResult(_incarnation);

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? SweepNow() : Task.CompletedTask;

    public Task Register(InfoHash hash, SwarmCounts counts, long version)
    {
        if (!_swarms.Report(hash, counts, version))
            return Task.CompletedTask; // an older report overtaken by a newer one, or by the removal
        Listed(hash);
        if (_sweeping)
            _registeredDuringSweep.Add(hash);
        return Task.CompletedTask;
    }

    public Task Unregister(InfoHash hash, long version)
    {
        if (_swarms.Unregister(hash, version, out var removed))
            Unlisted(hash, removed);
        return Task.CompletedTask;
    }

    public Task<SwarmTotals> Totals() => Task.FromResult(_swarms.Totals);

    public Task<int[]> ListHistogram(int? firstByte) => Task.FromResult(_index.Histogram(firstByte));

    public Task<TorrentListEntry[]> ListFrom(InfoHash from, int count)
    {
        var hashes = _index.From(from, count);
        var page = new TorrentListEntry[hashes.Count];
        for (var i = 0; i < page.Length; i++)
        {
            var hash = hashes[i];
            page[i] = new TorrentListEntry(hash, _swarms.TryGet(hash, out var live)
                ? live
                : new SwarmCounts(0, 0, _idle.TryGet(hash, out var completed) ? completed : 0));
        }
        return Task.FromResult(page);
    }

    public Task MarkDirty(InfoHash hash)
    {
        _dirty.Add(hash);
        return Task.CompletedTask;
    }

    public Task<int> RegisteredCount() => Task.FromResult(_swarms.Count);

    public async Task<int> SweepNow()
    {
        if (_sweeping)
            return 0;
        _sweeping = true;
        try
        {
            var expired = 0;
            foreach (var chunk in _swarms.Hashes.ToArray().Chunk(Fanout))
            {
                var reports = await Task.WhenAll(chunk.Select(SweepOne));
                for (var i = 0; i < chunk.Length; i++)
                {
                    expired += reports[i].ExpiredPeers;
                    if (_registeredDuringSweep.Contains(chunk[i]))
                        continue;   // its own, newer report stands
                    if (reports[i].Removed && _swarms.RemoveSwept(chunk[i], out var removed))
                        Unlisted(chunk[i], removed);
                    else if (reports[i] != default && !reports[i].Removed)
                        _swarms.Update(chunk[i], reports[i].Counts);
                }
            }
            return expired;
        }
        finally
        {
            _sweeping = false;
            _registeredDuringSweep.Clear();
        }
    }

    public async Task<int> FlushNow()
    {
        if (_flushing || _dirty.Count == 0)
            return 0;
        _flushing = true;
        try
        {
            var batch = _dirty.ToArray();
            _dirty.Clear();
            var failed = 0;
            foreach (var chunk in batch.Chunk(Fanout))
            {
                var results = await Task.WhenAll(chunk.Select(FlushOne));
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (results[i])
                        continue;
                    failed++;
                    _dirty.Add(chunk[i]);
                }
            }
            if (failed > 0)
                _logger.LogWarning("{Failed} of {Total} completed counts could not be saved; retrying in {Interval}", failed, batch.Length, _options.PersistenceInterval);
            return failed;
        }
        finally
        {
            _flushing = false;
        }
    }

    /// <summary>A registered swarm is listed, and no longer as idle.</summary>
    private void Listed(InfoHash hash)
    {
        _idle.Remove(hash);
        _index.Add(hash);
    }

    /// <summary>A swarm left memory: still listed as idle with its completed count, or not at all.</summary>
    private void Unlisted(InfoHash hash, SwarmCounts removed)
    {
        if (removed.Completed > 0)
            AddIdle(hash, removed.Completed);
        else
            _index.Remove(hash);
    }

    private void AddIdle(InfoHash hash, long completed)
    {
        var dropped = _idle.Add(hash, completed);
        if (dropped == 0)
            return;
        _memoryCaps.AddTorrentsUnlisted(dropped);
        if (_idle.Dropped == dropped)
            _logger.LogWarning("Partition {Partition} lists more than its share ({Share}) of max_idle_torrents_listed: the torrents idle longest leave the list (their completed counts stay stored; counted in torrents_unlisted; logged once per partition)", this.GetPrimaryKeyLong(), _idle.Capacity);
    }

    private Task<SweepReport> SweepOne(InfoHash hash) =>
        CallTorrent(hash, torrent => torrent.Sweep(), default(SweepReport), "Sweep of {InfoHash} failed; it stays registered");

    private Task<bool> FlushOne(InfoHash hash) =>
        CallTorrent(hash, torrent => torrent.Flush(), false, "Flush of {InfoHash} failed; will retry");

    /// <summary>One torrent's failure (e.g. its silo is going away) never stops a sweep or a flush.</summary>
    private async Task<T> CallTorrent<T>(InfoHash hash, Func<ITorrentGrain, ValueTask<T>> call, T onFailure, string failureMessage)
    {
        try
        {
            return await call(GrainFactory.GetGrain<ITorrentGrain>(TorrentKeys.For(hash)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
#pragma warning disable CA2254 // the two templates are constants of this class
            _logger.LogWarning(e, failureMessage, hash);
#pragma warning restore CA2254
            return onFailure;
        }
    }
}
