using Orleans;
using Orleans.Runtime;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Grains;
using Xunit;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Access;

/// <summary>The whitelist and key grains on the Orleans test host, over a real SQLite file.</summary>
public sealed class AccessGrainTests
{
    private static readonly InfoHash Hash = InfoHash.ParseHex("00112233445566778899aabbccddeeff00112233");

    [Fact]
    public async Task a_whitelist_change_is_in_the_database_when_the_call_returns()
    {
        await using var cluster = await AccessTestCluster.StartAsync();
        var store = cluster.OpenStore();

        Assert.True(await cluster.Whitelist.Add(Hash));
        Assert.Contains(Hash, await store.LoadWhitelistAsync());
        Assert.True(await cluster.Whitelist.Contains(Hash));
        Assert.False(await cluster.Whitelist.Add(Hash));

        Assert.True(await cluster.Whitelist.Remove(Hash));
        Assert.DoesNotContain(Hash, await store.LoadWhitelistAsync());
        Assert.False(await cluster.Whitelist.Remove(Hash));
        Assert.Empty((await cluster.Whitelist.Snapshot()).Hashes);
    }

    [Fact]
    public async Task a_key_gets_its_expiry_from_the_clock_and_is_in_the_database_when_the_call_returns()
    {
        await using var cluster = await AccessTestCluster.StartAsync();
        var now = cluster.Clock.GetUtcNow().ToUnixTimeSeconds();

        var timed = await cluster.Keys.Add(null, 3600);
        Assert.True(AuthKeyText.IsValid(timed.Key));
        Assert.Equal(now + 3600, timed.ValidUntil);

        var given = await cluster.Keys.Add("GivenKey000000000000000000000001", null);
        Assert.Null(given.ValidUntil);

        var stored = await cluster.OpenStore().LoadKeysAsync();
        Assert.Contains(timed, stored);
        Assert.Contains(given, stored);
        Assert.Equal(given, await cluster.Keys.Find(given.Key));

        Assert.True(await cluster.Keys.Delete(given.Key));
        Assert.Null(await cluster.Keys.Find(given.Key));
        Assert.DoesNotContain(given, await cluster.OpenStore().LoadKeysAsync());
        Assert.False(await cluster.Keys.Delete(given.Key));
    }

    [Theory]
    [InlineData("short", null)]
    [InlineData("GivenKey00000000000000000000000!", null)]
    [InlineData(null, 0L)]
    [InlineData(null, -5L)]
    [InlineData(null, long.MaxValue)]
    public async Task a_malformed_key_or_duration_is_refused_and_nothing_is_stored(string? key, long? seconds)
    {
        await using var cluster = await AccessTestCluster.StartAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => cluster.Keys.Add(key, seconds));
        Assert.Empty(await cluster.OpenStore().LoadKeysAsync());
        Assert.Empty((await cluster.Keys.Snapshot()).Keys);
    }

    [Fact]
    public async Task whitelist_and_keys_survive_a_restart_of_the_cluster()
    {
        var path = AccessTestCluster.NewDatabasePath();
        AuthKeyEntry key;
        await using (var first = await AccessTestCluster.StartAsync(databasePath: path))
        {
            await first.Whitelist.Add(Hash);
            key = await first.Keys.Add(null, 600);
        }
        await using var second = await AccessTestCluster.StartAsync(databasePath: path);
        Assert.Equal([Hash], (await second.Whitelist.Snapshot()).Hashes);
        Assert.Equal([key], (await second.Keys.Snapshot()).Keys);
    }

    [Fact]
    public async Task reload_picks_up_rows_written_to_the_database_behind_the_grains_back()
    {
        await using var cluster = await AccessTestCluster.StartAsync();
        await cluster.Whitelist.Snapshot(); // activate
        var versionBefore = await cluster.Keys.Version();
        var store = cluster.OpenStore();
        await store.AddWhitelistedAsync(Hash);
        await store.UpsertKeyAsync(new AuthKeyEntry("FromTheCli000000000000000000000A", null));

        Assert.Empty((await cluster.Whitelist.Snapshot()).Hashes);
        Assert.Equal([Hash], (await cluster.Whitelist.Reload()).Hashes);
        var keys = await cluster.Keys.Reload();
        Assert.Single(keys.Keys);
        Assert.NotEqual(versionBefore, keys.Version);
    }

    [Fact]
    public async Task every_silo_enforces_a_new_key_and_its_revocation_within_five_seconds()
    {
        await using var cluster = await AccessTestCluster.StartAsync(silos: 2);
        var key = await cluster.Keys.Add(null, null);
        await cluster.Whitelist.Add(Hash);
        for (var silo = 0; silo < 2; silo++)
        {
            var policy = cluster.PolicyOf(silo);
            await Eventually.Equal(Refusal.None, () => Task.FromResult(policy.CheckAnnounce(Hash, key.Key)), $"silo {silo} accepting the new key", TimeSpan.FromSeconds(5));
        }

        await cluster.Keys.Delete(key.Key);
        await cluster.Whitelist.Remove(Hash);
        for (var silo = 0; silo < 2; silo++)
        {
            var policy = cluster.PolicyOf(silo);
            await Eventually.Equal(Refusal.KeyUnknown, () => Task.FromResult(policy.CheckKey(key.Key)), $"silo {silo} refusing the revoked key", TimeSpan.FromSeconds(5));
            await Eventually.Equal(Refusal.NotWhitelisted, () => Task.FromResult(policy.CheckTorrent(Hash)), $"silo {silo} refusing the removed hash", TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task losing_the_silo_that_holds_the_grains_loses_no_key_or_whitelist_entry()
    {
        await using var cluster = await AccessTestCluster.StartAsync(silos: 3);
        var key = await cluster.Keys.Add(null, null);
        await cluster.Whitelist.Add(Hash);
        for (var silo = 0; silo < 3; silo++)
        {
            var policy = cluster.PolicyOf(silo);
            await Eventually.Equal(Refusal.None, () => Task.FromResult(policy.CheckAnnounce(Hash, key.Key)), $"silo {silo} holding the key", TimeSpan.FromSeconds(5));
        }
        // Kill the silo that holds the key grain: a survivor must reactivate it from the database.
        var keyGrain = cluster.Keys.GetGrainId();
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var holder = statistics.Single(s => s.GrainId == keyGrain).SiloAddress;
        var victim = cluster.Cluster.Silos.Single(s => s.SiloAddress == holder);
        var survivor = cluster.PolicyOf(cluster.Cluster.Silos.IndexOf(victim) == 0 ? 1 : 0);
        await cluster.Cluster.KillSiloAsync(victim);
        // The survivors answer from their own copy at once, while the grains move.
        Assert.Equal(Refusal.None, survivor.CheckAnnounce(Hash, key.Key));

        await Eventually.Equal(key, () => cluster.Keys.Find(key.Key), "the key after a silo was lost", TimeSpan.FromSeconds(30));
        Assert.True(await cluster.Whitelist.Contains(Hash));
        await Eventually.Equal(Refusal.None, () => Task.FromResult(survivor.CheckAnnounce(Hash, key.Key)), "the surviving silo accepting", TimeSpan.FromSeconds(5));
    }
}
