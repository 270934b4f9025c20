using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Silo.Persistence;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>What the access-mode trackers are seeded with before they start.</summary>
public static class AccessSeeds
{
    public const string PermanentKey = "PermanentKey00000000000000000001";
    public const string ExpiredKey = "ExpiredKey0000000000000000000002";
    public const string UnknownKey = "UnknownKey0000000000000000000003";

    /// <summary>The one whitelisted torrent.</summary>
    public static readonly byte[] Listed = TestPeers.NewInfoHash();
}

/// <summary>
/// A real tracker process in one of the closed modes. The whitelist and keys are written into its
/// SQLite file before it starts (as an operator seeding a private tracker would), so the tests
/// also prove that the tracker reads them at start.
/// </summary>
public abstract class AccessTrackerFixture(string mode) : IAsyncLifetime
{
    public const string ConfigTemplate = """
        log_level = "info"
        mode = "{mode}"
        persistence = false
        db_path = "{dir}/data.db"
        announce_interval = 120
        announce_interval_min = 60

        [[udp_trackers]]
        enabled = true
        bind_address = "[::]:{udp}"

        [[http_trackers]]
        enabled = true
        bind_address = "[::]:{http}"

        [http_api]
        enabled = false

        [cluster]
        silo_port = {silo}
        gateway_port = {gateway}
        """;

    internal TrackerProcess Tracker { get; private set; } = null!;

    /// <summary>Extra whitelisted hashes, added before start (the libtorrent interop torrent).</summary>
    protected virtual IEnumerable<byte[]> MoreListed() => [];

    /// <summary>More config after the template's (a WebSocket listener).</summary>
    protected virtual string MoreConfig() => "";

    public async Task InitializeAsync()
    {
        var directory = Directory.CreateTempSubdirectory($"orleans-tracker-{mode}-").FullName;
        var store = new SqlAccessListStore(DatabaseDriver.Sqlite, DatabaseConnectionStrings.From(DatabaseDriver.Sqlite, Path.Combine(directory, "data.db")));
        await store.UpsertKeyAsync(new AuthKeyEntry(AccessSeeds.PermanentKey, null));
        await store.UpsertKeyAsync(new AuthKeyEntry(AccessSeeds.ExpiredKey, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60));
        await store.AddWhitelistedAsync([InfoHash.Read(AccessSeeds.Listed), .. MoreListed().Select(h => InfoHash.Read(h))]);
        Tracker = await TrackerProcess.StartAsync(ConfigTemplate.Replace("{mode}", mode, StringComparison.Ordinal) + MoreConfig(), directory);
    }

    public async Task DisposeAsync()
    {
        await Tracker.DisposeAsync();
        Tracker.DeleteDirectory();
    }
}

public sealed class ListedTrackerFixture() : AccessTrackerFixture("listed");

public sealed class PrivateTrackerFixture() : AccessTrackerFixture("private");

public sealed class PrivateListedTrackerFixture() : AccessTrackerFixture("private_listed");
