namespace OrleansTracker.Tests.Support;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when a test says so, for tests without sleeps.
/// <see cref="TimeProvider.GetTimestamp"/> follows the same clock; timers are not faked (creating one
/// gives a real timer), so use it for code that reads the time, not code that waits on it.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualClock()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now.UtcTicks;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;
}
