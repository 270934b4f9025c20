using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Access;

/// <summary>
/// The private and listed modes on the hot path: a frozen copy of the whitelist and of the keys,
/// replaced whole by <see cref="AccessListRefresher"/> when the grains report a new version. A check
/// is one in-memory lookup; no announce ever waits on the database or on another grain.
/// </summary>
public sealed class AccessPolicy
{
    private readonly TimeProvider _clock;
    private volatile WhitelistCopy? _whitelist;
    private volatile KeyCopy? _keys;

    public AccessPolicy(IOptions<FrontendOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequiresKey = options.Value.RequireKey;
        RequiresWhitelist = options.Value.RequireWhitelist;
        _clock = clock;
    }

    /// <summary>Modes private and private_listed.</summary>
    public bool RequiresKey { get; }

    /// <summary>Modes listed and private_listed.</summary>
    public bool RequiresWhitelist { get; }

    public long? WhitelistVersion => _whitelist?.Version;

    public long? KeysVersion => _keys?.Version;

    /// <summary>Both checks of an announce, the key first (so a keyless client learns about the key).</summary>
    public Refusal CheckAnnounce(InfoHash hash, ReadOnlySpan<char> key)
    {
        var refusal = CheckKey(key);
        return refusal == Refusal.None ? CheckTorrent(hash) : refusal;
    }

    public Refusal CheckKey(ReadOnlySpan<char> key) => CheckKey(key, out _);

    /// <summary>The key check, giving the digest the key is known by (default when it was not computed).</summary>
    internal Refusal CheckKey(ReadOnlySpan<char> key, out KeyDigest digest)
    {
        digest = default;
        if (!RequiresKey)
            return Refusal.None;
        if (key.IsEmpty)
            return Refusal.KeyMissing;
        if (!AuthKeyText.IsValid(key))
            return Refusal.KeyMalformed;
        digest = KeyDigest.Of(key);
        return CheckKey(digest);
    }

    /// <summary>The key known by <paramref name="digest"/>, checked again: a deleted or expired key no longer passes.</summary>
    internal Refusal CheckKey(in KeyDigest digest)
    {
        if (_keys is not { } keys)
            return Refusal.NotLoaded;
        if (!keys.ValidUntil.TryGetValue(digest, out var validUntil))
            return Refusal.KeyUnknown;
        return validUntil < _clock.GetUtcNow().ToUnixTimeSeconds() ? Refusal.KeyExpired : Refusal.None;
    }

    public Refusal CheckTorrent(InfoHash hash)
    {
        if (!RequiresWhitelist)
            return Refusal.None;
        if (_whitelist is not { } whitelist)
            return Refusal.NotLoaded;
        return whitelist.Hashes.Contains(hash) ? Refusal.None : Refusal.NotWhitelisted;
    }

    public void Update(WhitelistSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _whitelist = new WhitelistCopy(snapshot.Version, snapshot.Hashes.ToFrozenSet());
    }

    public void Update(KeySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        // A permanent key never expires: long.MaxValue is beyond any clock.
        var keys = snapshot.Keys.ToFrozenDictionary(k => KeyDigest.Of(k.Key), k => k.ValidUntil ?? long.MaxValue);
        _keys = new KeyCopy(snapshot.Version, keys);
    }

    private sealed record WhitelistCopy(long Version, FrozenSet<InfoHash> Hashes);

    private sealed record KeyCopy(long Version, FrozenDictionary<KeyDigest, long> ValidUntil);
}
