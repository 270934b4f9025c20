using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Access;

/// <summary>
/// Where the whitelist and keys live: the tracker's own tables in the configured database
/// (tracker_whitelist, tracker_keys), so they can be seeded, imported and inspected without a
/// running silo. Every method returns only after the change is committed.
/// </summary>
public interface IAccessListStore
{
    Task<IReadOnlyList<InfoHash>> LoadWhitelistAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a hash; false when the database already listed it.</summary>
    Task<bool> AddWhitelistedAsync(InfoHash hash, CancellationToken cancellationToken = default);

    /// <summary>Removes a hash; false when the database did not list it.</summary>
    Task<bool> RemoveWhitelistedAsync(InfoHash hash, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuthKeyEntry>> LoadKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts a key or replaces its expiry.</summary>
    Task UpsertKeyAsync(AuthKeyEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key; false when there was none.</summary>
    Task<bool> DeleteKeyAsync(string key, CancellationToken cancellationToken = default);
}
