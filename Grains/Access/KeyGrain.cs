using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Access;

/// <summary>
/// The keys of a private tracker: a dictionary in memory, the tracker_keys table underneath, with
/// the same write-first rule as <see cref="WhitelistGrain"/>. Expired keys are kept (the admin
/// sees them and can extend them by adding the same key again); the frontends refuse them.
/// </summary>
internal sealed class KeyGrain(IAccessListStore store, KeyClock clock) : Grain, IKeyGrain
{
    private Dictionary<string, AuthKeyEntry> _keys = new(StringComparer.Ordinal);
    private KeySnapshot? _snapshot;
    private long _version = Random.Shared.NextInt64(long.MaxValue / 2);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _keys = ToDictionary(await store.LoadKeysAsync(cancellationToken));

    public async Task<AuthKeyEntry> Add(string? key, long? secondsValid)
    {
        if (key is not null && !AuthKeyText.IsValid(key))
            throw new ArgumentException($"a key is {AuthKeyText.Length} ASCII letters and digits", nameof(key));
        if (secondsValid is < 1 or > AuthKeyText.MaxSecondsValid)
            throw new ArgumentOutOfRangeException(nameof(secondsValid), secondsValid, $"seconds_valid must be between 1 and {AuthKeyText.MaxSecondsValid}");

        var entry = new AuthKeyEntry(
            key ?? AuthKeyText.Generate(),
            secondsValid is { } seconds ? clock.UnixSeconds + seconds : null);
        await store.UpsertKeyAsync(entry);
        _keys[entry.Key] = entry;
        Changed();
        return entry;
    }

    public async Task<bool> Delete(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var deleted = await store.DeleteKeyAsync(key);
        var removed = _keys.Remove(key);
        if (removed)
            Changed();
        return deleted || removed;
    }

    public Task<AuthKeyEntry?> Find(string key) =>
        Task.FromResult(key is not null && _keys.TryGetValue(key, out var entry) ? entry : null);

    public Task<long> Version() => Task.FromResult(_version);

    public Task<KeySnapshot> Snapshot() => Task.FromResult(_snapshot ??= new KeySnapshot(_version, [.. _keys.Values.OrderBy(k => k.Key, StringComparer.Ordinal)]));

    public async Task<KeySnapshot> Reload()
    {
        _keys = ToDictionary(await store.LoadKeysAsync());
        Changed();
        return await Snapshot();
    }

    private static Dictionary<string, AuthKeyEntry> ToDictionary(IReadOnlyList<AuthKeyEntry> keys) =>
        keys.ToDictionary(k => k.Key, StringComparer.Ordinal);

    private void Changed()
    {
        _version++;
        _snapshot = null;
    }
}
