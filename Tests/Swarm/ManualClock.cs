namespace OrleansTracker.Tests.Swarm;

/// <summary>
/// A clock that moves only when told to, for the swarm tests. Wall time and the monotonic
/// timestamp advance together; the timestamp counts 100 ns ticks.
/// </summary>
public sealed class SwarmTestClock : TimeProvider
{
    private DateTimeOffset _utcNow;
    private long _timestamp;

    public SwarmTestClock()
        : this(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public SwarmTestClock(DateTimeOffset start)
    {
        _utcNow = start;
        // Not zero, so that code which mistakes a timestamp for an elapsed time shows up.
        _timestamp = 987_654_321_000;
    }

    public override DateTimeOffset GetUtcNow() => _utcNow;

    public override long GetTimestamp() => _timestamp;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        _utcNow += by;
        _timestamp += by.Ticks;
    }
}
