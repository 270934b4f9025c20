namespace OrleansTracker.Frontends.Statistics;

/// <summary>
/// Where this silo's announces went: to a torrent this silo owns (local) or to another silo
/// (remote), and how many messages the remote ones took. Per silo, not cluster-wide: the ratio is
/// what a cluster benchmark needs (bench/cluster.sh) and what an operator watches to see batching work.
/// </summary>
public sealed class RoutingCounters
{
    private long _local, _remote, _batches, _batched;

    public void Local() => Interlocked.Increment(ref _local);

    public void Remote() => Interlocked.Increment(ref _remote);

    /// <summary>One message to another silo carrying <paramref name="announces"/> announces.</summary>
    public void BatchSent(int announces)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _batched, announces);
    }

    public RoutingSnapshot Snapshot() => new(
        Volatile.Read(ref _local), Volatile.Read(ref _remote), Volatile.Read(ref _batches), Volatile.Read(ref _batched));
}

/// <param name="AnnouncesLocal">Announces for torrents this silo owns: direct grain calls.</param>
/// <param name="AnnouncesRemote">Announces for torrents another silo owns.</param>
/// <param name="RemoteBatches">Messages that carried remote announces in batches.</param>
/// <param name="AnnouncesBatched">Remote announces sent in those batches (the rest were direct calls).</param>
public readonly record struct RoutingSnapshot(long AnnouncesLocal, long AnnouncesRemote, long RemoteBatches, long AnnouncesBatched);
