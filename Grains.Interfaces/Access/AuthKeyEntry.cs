using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>A private-tracker key and its expiry.</summary>
/// <param name="Key">32 ASCII letters and digits (<see cref="AuthKeyText"/>).</param>
/// <param name="ValidUntil">Unix seconds after which the key is refused; null for a permanent key.</param>
[GenerateSerializer, Immutable]
public sealed record AuthKeyEntry([property: Id(0)] string Key, [property: Id(1)] long? ValidUntil)
{
    /// <summary>Expired when valid_until is in the past (a key is still good during its last second).</summary>
    public bool IsExpiredAt(long unixSeconds) => ValidUntil is { } until && until < unixSeconds;
}
