using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// One of a fixed number of partitions (keys 0..N-1) that together know every active swarm. Each
/// holds one Orleans reminder and sweeps its swarms at cleanup_interval, so the cost of peer
/// timeout does not grow with torrent churn: no reminder or database row per swarm.
/// </summary>
public interface ISweepPartitionGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the partition's reminder exists (called once per silo start).</summary>
    Task EnsureReminder();

    /// <summary>
    /// Registers the partition's reminder again if the reminder table no longer has it: with
    /// Orleans' in-memory reminder table (persistence off), a lost silo can take the table with it,
    /// and peer timeout would stop. Every silo calls it every partition check interval; the
    /// partition reads the table at most once per <c>ReminderCheckInterval</c> and never
    /// re-registers a reminder that exists (that would push its next tick back).
    /// </summary>
    Task RestoreReminderIfLost();

    /// <summary>
    /// A new value for every activation of the partition. Each silo checks it regularly: a change
    /// means the partition started again (on another silo after a crash or a stop) with an empty
    /// list of swarms, and the silo's swarms of this partition must register again.
    /// </summary>
    Task<Guid> Incarnation();

    /// <summary>
    /// A swarm with peers registers itself, and reports its counts again whenever they change (the
    /// partition keeps running sums for the statistics, so reading them never visits the swarms).
    /// One-way messages may arrive out of order: <paramref name="version"/> grows with every report
    /// of a swarm, and the partition ignores a report older than the last one it took.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    Task Register(InfoHash hash, SwarmCounts counts, long version);

    /// <summary>
    /// A swarm left memory. <paramref name="version"/> is the next of its report versions: an
    /// <c>Unregister</c> that arrives after a newer activation's <c>Register</c> is ignored, and
    /// a <c>Register</c> that was overtaken by it cannot bring the swarm back.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    Task Unregister(InfoHash hash, long version);

    /// <summary>
    /// False only when the hash has certainly no stored completed count: the partition has read
    /// which torrents of its bucket are stored, and every torrent tells it before it first stores
    /// one (<see cref="WillStore"/>). A torrent activation then skips its database read. True
    /// while it does not know (no database, still loading).
    /// </summary>
    Task<bool> MayBeStored(InfoHash hash);

    /// <summary>
    /// A torrent is about to store its first completed count. Awaited before the write, so a scrape
    /// can never be told "nothing stored" for a hash that has a row.
    /// </summary>
    Task WillStore(InfoHash hash);

    /// <summary>A swarm's completed count changed: flush it at the next persistence tick.</summary>
    [Orleans.Concurrency.OneWay]
    Task MarkDirty(InfoHash hash);

    /// <summary>Writes every dirty swarm now; returns how many writes failed.</summary>
    Task<int> FlushNow();

    /// <summary>Sweeps every registered swarm now; returns how many peers expired.</summary>
    Task<int> SweepNow();

    Task<int> RegisteredCount();

    /// <summary>Torrents, seeders, leechers and completed summed over the registered swarms.</summary>
    Task<SwarmTotals> Totals();

    /// <summary>
    /// How many listed torrents (with peers, or a known completed count) start with each first
    /// byte (<paramref name="firstByte"/> null), or with each second byte after one first byte.
    /// </summary>
    Task<int[]> ListHistogram(int? firstByte);

    /// <summary>Up to <paramref name="count"/> listed torrents from <paramref name="from"/> on, in hash order.</summary>
    Task<TorrentListEntry[]> ListFrom(InfoHash from, int count);
}

public static class SweepPartitions
{
    /// <summary>Fixed so a hash always maps to the same partition on every silo.</summary>
    public const int Count = 16;

    public static long For(InfoHash hash) => hash.Bucket(Count);
}
