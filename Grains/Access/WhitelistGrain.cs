using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Access;

/// <summary>
/// The whitelist: a set in memory, the tracker_whitelist table underneath. A change is written to
/// the database first and applied in memory only once committed, so what callers were told is
/// what a restart finds.
/// </summary>
internal sealed class WhitelistGrain(IAccessListStore store) : Grain, IWhitelistGrain
{
    private HashSet<InfoHash> _hashes = [];
    private WhitelistSnapshot? _snapshot;
    // Starts at a random value so a new activation never repeats the version of an earlier one
    // (frontends only compare versions for equality).
    private long _version = Random.Shared.NextInt64(long.MaxValue / 2);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _hashes = [.. await store.LoadWhitelistAsync(cancellationToken)];

    public async Task<bool> Add(InfoHash hash)
    {
        // Written even when already in memory: the table may have been edited behind our back.
        var inserted = await store.AddWhitelistedAsync(hash);
        var added = _hashes.Add(hash);
        if (added)
            Changed();
        return inserted || added;
    }

    public async Task<bool> Remove(InfoHash hash)
    {
        var deleted = await store.RemoveWhitelistedAsync(hash);
        var removed = _hashes.Remove(hash);
        if (removed)
            Changed();
        return deleted || removed;
    }

    public Task<bool> Contains(InfoHash hash) => Task.FromResult(_hashes.Contains(hash));

    public Task<long> Version() => Task.FromResult(_version);

    public Task<WhitelistSnapshot> Snapshot() => Task.FromResult(_snapshot ??= new WhitelistSnapshot(_version, [.. _hashes]));

    public async Task<WhitelistSnapshot> Reload()
    {
        _hashes = [.. await store.LoadWhitelistAsync()];
        Changed();
        return await Snapshot();
    }

    private void Changed()
    {
        _version++;
        _snapshot = null;
    }
}
