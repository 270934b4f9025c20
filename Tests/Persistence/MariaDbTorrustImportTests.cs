using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Orleans;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Silo.Cli;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Hosting;
using OrleansTracker.Silo.Persistence;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Persistence;

/// <summary>
/// Import from a Torrust database on MySQL (Torrust's MySQL schema, made by the test on a private
/// mariadbd) into a tracker that also runs on MySQL: counts through the grains' storage, whitelist
/// and keys into the tracker's tables.
/// </summary>
public sealed class MariaDbTorrustImportTests(MariaDbEngine engine) : IClassFixture<MariaDbEngine>
{
    private static readonly InfoHash Hash = InfoHash.ParseHex("abcdefabcdefabcdefabcdefabcdefabcdefabcd");

    [MariaDbFact]
    public async Task a_torrust_mysql_database_is_taken_over_with_bad_rows_reported()
    {
        var source = engine.NewDatabase().ConnectionStringOrPath.Replace("tracker_test_", "torrust_", StringComparison.Ordinal);
        await CreateTorrustDatabase(source);
        var target = engine.NewDatabase();
        var config = ConfigLoader.LoadFromText(
            $"""
            db_driver = "mysql"
            db_path = "{target.ConnectionStringOrPath}"
            persistence = true
            """, "test.toml");

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await ImportCommand.RunAsync(["torrust", "--from", source], config, output, errors, CancellationToken.None);

        Assert.True(code == ImportCommand.ExitSkippedRows, $"{output}\n{errors}");
        Assert.Contains("torrents: 1 imported, 1 skipped", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("whitelist: 1 imported, 0 skipped", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("keys: 1 imported, 0 skipped", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("skipped torrents row id=2: info_hash '0123' is not 40 hex digits", errors.ToString(), StringComparison.Ordinal);

        var store = SqlAccessListStore.For(target);
        Assert.Equal([Hash], await store.LoadWhitelistAsync());
        Assert.Equal([new AuthKeyEntry("MySqlTorrustKey00000000000000001", 1_900_000_000)], await store.LoadKeysAsync());

        using var silo = await MaintenanceSilo.StartAsync(config, CancellationToken.None);
        var counts = await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ITorrentGrain>(TorrentKeys.For(Hash)).Scrape();
        Assert.Equal(41, counts.Completed);
        await silo.StopAsync();
    }

    /// <summary>Torrust Tracker's MySQL schema.</summary>
    private static async Task CreateTorrustDatabase(string url)
    {
        var database = url[(url.LastIndexOf('/') + 1)..];
        var server = url[..url.LastIndexOf('/')] + "/mysql";
        await using (var connection = new MySqlConnection(DatabaseConnectionStrings.From(DatabaseDriver.MySql, server)))
        {
            await connection.OpenAsync();
            await using var create = new MySqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        await using var torrust = new MySqlConnection(DatabaseConnectionStrings.From(DatabaseDriver.MySql, url));
        await torrust.OpenAsync();
        await using var command = new MySqlCommand($"""
            CREATE TABLE whitelist (id integer PRIMARY KEY AUTO_INCREMENT, info_hash VARCHAR(40) NOT NULL UNIQUE);
            CREATE TABLE torrents (id integer PRIMARY KEY AUTO_INCREMENT, info_hash VARCHAR(40) NOT NULL UNIQUE, completed INTEGER DEFAULT 0 NOT NULL);
            CREATE TABLE `keys` (`id` INT NOT NULL AUTO_INCREMENT, `key` VARCHAR(32) NOT NULL, `valid_until` INT(10) NOT NULL,
                PRIMARY KEY (`id`), UNIQUE (`key`));
            INSERT INTO torrents (id, info_hash, completed) VALUES (1, '{Hash.ToHex()}', 41), (2, '0123', 5);
            INSERT INTO whitelist (id, info_hash) VALUES (1, '{Hash.ToHex()}');
            INSERT INTO `keys` (id, `key`, valid_until) VALUES (1, 'MySqlTorrustKey00000000000000001', 1900000000);
            """, torrust);
        await command.ExecuteNonQueryAsync();
    }
}
