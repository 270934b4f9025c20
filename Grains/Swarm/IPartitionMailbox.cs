using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>The messages a swarm sends its sweep partition (one-way: none is awaited on the announce path).</summary>
public interface IPartitionMailbox
{
    /// <summary>Registers the swarm, or reports its counts again; <paramref name="version"/> orders the reports.</summary>
    void Register(SwarmCounts counts, long version);

    /// <summary>The completed count changed: flush it at the next persistence tick.</summary>
    void MarkDirty();

    /// <summary>The swarm leaves memory; <paramref name="version"/> follows its last report's.</summary>
    Task Unregister(long version);
}
