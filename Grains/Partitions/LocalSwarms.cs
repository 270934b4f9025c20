using System.Collections.Concurrent;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// The torrent activations of this silo, by sweep partition. A partition keeps its swarms in
/// memory only; when it is activated again elsewhere (its silo was lost or stopped), the
/// <see cref="PartitionWatch"/> of every silo uses this list to tell the partition's swarms that
/// live here to register again. Written on activation and deactivation only, never per announce.
/// </summary>
internal sealed class LocalSwarms
{
    private readonly ConcurrentDictionary<InfoHash, byte>[] _byPartition =
        Enumerable.Range(0, SweepPartitions.Count).Select(_ => new ConcurrentDictionary<InfoHash, byte>()).ToArray();

    public void Add(InfoHash hash) => _byPartition[SweepPartitions.For(hash)].TryAdd(hash, 0);

    public void Remove(InfoHash hash) => _byPartition[SweepPartitions.For(hash)].TryRemove(hash, out _);

    /// <summary>A snapshot of the activations of one partition's bucket.</summary>
    public InfoHash[] Of(long partition) => _byPartition[partition].Keys.ToArray();
}
