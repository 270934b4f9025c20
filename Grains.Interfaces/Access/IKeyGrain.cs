using Orleans;
using Orleans.Concurrency;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// The keys of a private tracker (modes private and private_listed), one grain per cluster
/// (<see cref="AccessGrains.Keys"/>). Same durability and polling contract as
/// <see cref="IWhitelistGrain"/>.
/// </summary>
public interface IKeyGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Adds <paramref name="key"/> (a new random key when null), valid for
    /// <paramref name="secondsValid"/> seconds from now (permanent when null). Adding an existing
    /// key replaces its expiry. Throws <see cref="ArgumentException"/> for a malformed key or a
    /// duration that is not positive.
    /// </summary>
    Task<AuthKeyEntry> Add(string? key, long? secondsValid);

    /// <summary>Deletes a key; false when there was none.</summary>
    Task<bool> Delete(string key);

    [ReadOnly]
    Task<AuthKeyEntry?> Find(string key);

    [ReadOnly]
    Task<long> Version();

    [ReadOnly]
    Task<KeySnapshot> Snapshot();

    /// <summary>Re-reads the keys from the database.</summary>
    Task<KeySnapshot> Reload();
}
