namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// Swarms this process's silo evicted to stay under <c>max_swarms_per_silo</c>. One per process:
/// the silo's swarm cap adds to it, the request statistics publish it with the other counters.
/// It lives here because the frontends must not depend on the grains project.
/// </summary>
public sealed class SwarmEvictionCounter
{
    private long _total;

    public long Total => Volatile.Read(ref _total);

    public void Add() => Interlocked.Increment(ref _total);
}
