namespace OrleansTracker.Grains.Access;

/// <summary>
/// The clock key expiries are computed by. A type of its own so tests can move it without
/// handing Orleans a fake clock (its membership reads the silo's <see cref="TimeProvider"/>, and a
/// frozen one made test clients intermittently find no gateway).
/// </summary>
public sealed class KeyClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time ?? throw new ArgumentNullException(nameof(time));

    public long UnixSeconds => Time.GetUtcNow().ToUnixTimeSeconds();
}
