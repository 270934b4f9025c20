using Orleans;
using Orleans.Concurrency;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// The tracker's whitelist (modes listed and private_listed), one grain per cluster
/// (<see cref="AccessGrains.Whitelist"/>). Every change is written to the database before the call
/// returns, so an acknowledged change survives a crash. Frontends never call it per announce: they
/// poll <see cref="Version"/> and keep a copy of <see cref="Snapshot"/>.
/// </summary>
public interface IWhitelistGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a hash; false when it was already listed.</summary>
    Task<bool> Add(InfoHash hash);

    /// <summary>Removes a hash; false when it was not listed.</summary>
    Task<bool> Remove(InfoHash hash);

    [ReadOnly]
    Task<bool> Contains(InfoHash hash);

    [ReadOnly]
    Task<long> Version();

    [ReadOnly]
    Task<WhitelistSnapshot> Snapshot();

    /// <summary>Re-reads the whitelist from the database (after it was edited outside the tracker).</summary>
    Task<WhitelistSnapshot> Reload();
}
