using OrleansTracker.Silo.Persistence;
using OrleansTracker.Tests.Persistence;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// The connection-id key in tracker_secrets: silos starting together race to create it and must
/// all end up with the one row that won; a later silo (or a restart) reads that same row.
/// </summary>
public abstract class ClusterSecretStoreTests(IDatabaseEngine engine)
{
    protected async Task Concurrent_silos_get_one_key_and_a_later_one_reads_it_back_core()
    {
        var settings = engine.NewDatabase();
        await SchemaInstaller.InstallAsync(settings);

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => new DatabaseClusterSecretStore(settings).GetOrCreateAsync("connection_id_key", 16, CancellationToken.None))));
        var later = await new DatabaseClusterSecretStore(settings).GetOrCreateAsync("connection_id_key", 16, CancellationToken.None);

        Assert.Equal(16, later.Length);
        Assert.All(racing, key => Assert.Equal(later, key));
        Assert.NotEqual(new byte[16], later);
    }

    protected async Task Different_names_are_different_secrets_core()
    {
        var settings = engine.NewDatabase();
        await SchemaInstaller.InstallAsync(settings);
        var store = new DatabaseClusterSecretStore(settings);

        Assert.NotEqual(
            await store.GetOrCreateAsync("a", 16, CancellationToken.None),
            await store.GetOrCreateAsync("b", 16, CancellationToken.None));
    }
}

public sealed class SqliteClusterSecretStoreTests(SqliteEngine engine)
    : ClusterSecretStoreTests(engine), IClassFixture<SqliteEngine>
{
    [Fact]
    public Task concurrent_silos_get_one_key_and_a_later_one_reads_it_back() => Concurrent_silos_get_one_key_and_a_later_one_reads_it_back_core();

    [Fact]
    public Task different_names_are_different_secrets() => Different_names_are_different_secrets_core();
}

public sealed class MariaDbClusterSecretStoreTests(MariaDbEngine engine)
    : ClusterSecretStoreTests(engine), IClassFixture<MariaDbEngine>
{
    [MariaDbFact]
    public Task concurrent_silos_get_one_key_and_a_later_one_reads_it_back() => Concurrent_silos_get_one_key_and_a_later_one_reads_it_back_core();

    [MariaDbFact]
    public Task different_names_are_different_secrets() => Different_names_are_different_secrets_core();
}
