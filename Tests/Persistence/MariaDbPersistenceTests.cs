using MySqlConnector;
using OrleansTracker.Silo.Persistence;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Persistence;

public sealed class MariaDbPersistenceTests(MariaDbEngine engine) : PersistenceConformance(engine), IClassFixture<MariaDbEngine>
{
    protected override async Task<long> CountRowsAsync(DatabaseSettings settings, string table)
    {
        await using var connection = new MySqlConnection(settings.ToConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"SELECT COUNT(*) FROM {table}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [MariaDbFact]
    public Task write_survives_a_cluster_restart() => Write_survives_a_cluster_restart_core();

    [MariaDbFact]
    public Task concurrent_first_writes_and_stale_writes_conflict() => Concurrent_first_writes_and_stale_writes_conflict_core();

    [MariaDbFact]
    public Task clear_resets_the_state_and_keeps_versioning() => Clear_resets_the_state_and_keeps_versioning_core();

    [MariaDbFact]
    public Task reminders_are_stored_in_the_database() => Reminders_are_stored_in_the_database_core();

    [MariaDbFact]
    public Task schema_scripts_rerun_harmlessly_and_record_versions() =>
        Schema_scripts_rerun_harmlessly_and_record_versions_core(async settings =>
        {
            await using var connection = new MySqlConnection(settings.ToConnectionString());
            await connection.OpenAsync();
            await using var command = new MySqlCommand("SELECT version FROM schema_version ORDER BY version", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var versions = new List<int>();
            while (await reader.ReadAsync())
            {
                versions.Add(reader.GetInt32(0));
            }

            return versions;
        });

    [MariaDbFact]
    public async Task database_and_tables_are_created_as_utf8mb4()
    {
        var settings = Engine.NewDatabase();
        await SchemaInstaller.InstallAsync(settings);
        await using var connection = new MySqlConnection(settings.ToConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()", connection);
        Assert.Equal("utf8mb4", await command.ExecuteScalarAsync() as string);
        command.CommandText = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
            + "AND TABLE_COLLATION NOT LIKE 'utf8mb4%'";
        Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        command.CommandText = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
            + "AND TABLE_NAME IN ('tracker_whitelist', 'tracker_keys', 'OrleansMembershipTable', 'OrleansStorage', 'OrleansRemindersTable')";
        Assert.Equal(5L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task unreachable_server_gives_an_error_naming_the_host_and_the_cause()
    {
        var port = MariaDbServer.FreeTcpPort(); // nothing listens there
        var settings = new DatabaseSettings(true, "mysql", $"mysql://tracker:secret@127.0.0.1:{port}/tracker");
        var error = await Assert.ThrowsAsync<DatabaseException>(() => SchemaInstaller.InstallAsync(settings));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unable to connect", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
