using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Silo.Persistence;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Persistence;

/// <summary>The whitelist and key tables behave the same on every engine.</summary>
public abstract class AccessListStoreConformance(IDatabaseEngine engine)
{
    private static readonly InfoHash First = InfoHash.ParseHex("1111111111111111111111111111111111111111");
    private static readonly InfoHash Second = InfoHash.ParseHex("2222222222222222222222222222222222222222");

    protected SqlAccessListStore NewStore() => SqlAccessListStore.For(engine.NewDatabase());

    protected async Task Whitelist_adds_removes_and_lists_in_hash_order_core()
    {
        var store = NewStore();
        Assert.Empty(await store.LoadWhitelistAsync()); // installs the schema on first use
        Assert.True(await store.AddWhitelistedAsync(Second));
        Assert.False(await store.AddWhitelistedAsync(Second));
        Assert.Equal(1, await store.AddWhitelistedAsync([First, Second]));
        Assert.Equal([First, Second], await store.LoadWhitelistAsync());
        Assert.True(await store.RemoveWhitelistedAsync(First));
        Assert.False(await store.RemoveWhitelistedAsync(First));
        Assert.Equal([Second], await store.LoadWhitelistAsync());
    }

    protected async Task Keys_upsert_delete_and_keep_null_as_permanent_core()
    {
        var store = NewStore();
        var permanent = new AuthKeyEntry("PermanentKey00000000000000000001", null);
        var timed = new AuthKeyEntry("TimedKey000000000000000000000002", 1_900_000_000);
        await store.UpsertKeyAsync(timed);
        await store.UpsertKeyAsync(permanent);
        Assert.Equal([permanent, timed], await store.LoadKeysAsync());

        var extended = timed with { ValidUntil = 2_000_000_000 };
        await store.UpsertKeyAsync(extended);
        Assert.True(await store.UpsertKeysAsync([extended, permanent with { ValidUntil = 5 }]) > 0);
        Assert.Equal([permanent with { ValidUntil = 5 }, extended], await store.LoadKeysAsync());

        Assert.True(await store.DeleteKeyAsync(permanent.Key));
        Assert.False(await store.DeleteKeyAsync(permanent.Key));
        Assert.Equal([extended], await store.LoadKeysAsync());
    }

    protected async Task Keys_compare_case_sensitively_core()
    {
        var store = NewStore();
        await store.UpsertKeyAsync(new AuthKeyEntry("CaseKey0000000000000000000000001", null));
        await store.UpsertKeyAsync(new AuthKeyEntry("casekey0000000000000000000000001", 10));
        Assert.Equal(2, (await store.LoadKeysAsync()).Count);
        Assert.True(await store.DeleteKeyAsync("casekey0000000000000000000000001"));
        Assert.Equal([new AuthKeyEntry("CaseKey0000000000000000000000001", null)], await store.LoadKeysAsync());
    }
}

public sealed class SqliteAccessListStoreTests(SqliteEngine engine) : AccessListStoreConformance(engine), IClassFixture<SqliteEngine>
{
    [Fact]
    public Task whitelist_adds_removes_and_lists_in_hash_order() => Whitelist_adds_removes_and_lists_in_hash_order_core();

    [Fact]
    public Task keys_upsert_delete_and_keep_null_as_permanent() => Keys_upsert_delete_and_keep_null_as_permanent_core();

    [Fact]
    public Task keys_compare_case_sensitively() => Keys_compare_case_sensitively_core();
}

public sealed class MariaDbAccessListStoreTests(MariaDbEngine engine) : AccessListStoreConformance(engine), IClassFixture<MariaDbEngine>
{
    [MariaDbFact]
    public Task whitelist_adds_removes_and_lists_in_hash_order() => Whitelist_adds_removes_and_lists_in_hash_order_core();

    [MariaDbFact]
    public Task keys_upsert_delete_and_keep_null_as_permanent() => Keys_upsert_delete_and_keep_null_as_permanent_core();

    [MariaDbFact]
    public Task keys_compare_case_sensitively() => Keys_compare_case_sensitively_core();
}
