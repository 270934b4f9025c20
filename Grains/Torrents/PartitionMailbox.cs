using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;

namespace OrleansTracker.Grains.Torrents;

/// <summary>A torrent's sweep partition grain as its <see cref="PartitionMembership"/>'s mailbox.</summary>
internal sealed class PartitionMailbox(ISweepPartitionGrain partition, InfoHash hash) : IPartitionMailbox
{
    public void Register(SwarmCounts counts, long version) => _ = partition.Register(hash, counts, version);

    public void MarkDirty() => _ = partition.MarkDirty(hash);

    public Task Unregister(long version) => partition.Unregister(hash, version);
}
