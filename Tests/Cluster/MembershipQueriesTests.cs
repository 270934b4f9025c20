using System.Data;
using MySqlConnector;
using OrleansTracker.Silo.Persistence;
using OrleansTracker.Tests.Persistence;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// The clustering queries of sql/mysql/003 run as Orleans' ADO.NET membership table runs them
/// (query text from OrleansQuery, the provider's parameter names and a single boolean column
/// back), including the paths a short cluster test never reaches: stale table versions and the
/// clean-up of dead silos' rows.
/// </summary>
public sealed class MembershipQueriesTests(MariaDbEngine engine) : IClassFixture<MariaDbEngine>
{
    private const string Deployment = "test-deployment";
    private static readonly DateTime Start = new(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    [MariaDbFact]
    public async Task membership_rows_follow_the_table_version_and_dead_rows_are_cleaned_up()
    {
        var settings = engine.NewDatabase();
        await SchemaInstaller.InstallAsync(settings);
        await using var connection = new MySqlConnection(settings.ToConnectionString());
        await connection.OpenAsync();
        var queries = await QueriesAsync(connection);

        Assert.True(await BoolAsync(connection, queries["InsertMembershipVersionKey"], ("DeploymentId", Deployment)));
        Assert.False(await BoolAsync(connection, queries["InsertMembershipVersionKey"], ("DeploymentId", Deployment)));

        // Insert at table version 0 succeeds once; a second insert with the stale version 0 fails.
        Assert.True(await BoolAsync(connection, queries["InsertMembershipKey"], Row(version: 0, port: 11111)));
        Assert.False(await BoolAsync(connection, queries["InsertMembershipKey"], Row(version: 0, port: 11112)));
        Assert.Equal([(11111, 3, 1)], await ReadAllAsync(connection, queries["MembershipReadAllKey"]));

        // Declare it dead at version 1; the same stale update afterwards changes nothing.
        (string, object?)[] dead = [.. Key(11111), ("Status", 6), ("SuspectTimes", null), ("IAmAliveTime", Start), ("Version", 1)];
        Assert.True(await BoolAsync(connection, queries["UpdateMembershipKey"], dead));
        Assert.False(await BoolAsync(connection, queries["UpdateMembershipKey"], dead));
        Assert.Equal([(11111, 6, 2)], await ReadAllAsync(connection, queries["MembershipReadAllKey"]));

        // Clean-up matches the values Orleans read; a row whose heartbeat moved on is kept.
        (string, object?)[] read = [.. Key(11111), ("SuspectTimes", null), ("StartTime", Start), ("IAmAliveTime", Start)];
        await ExecuteAsync(connection, queries["CleanupDefunctSiloEntryKey"], [.. read[..^1], ("IAmAliveTime", Start.AddSeconds(1))]);
        Assert.Single(await ReadAllAsync(connection, queries["MembershipReadAllKey"]));
        await ExecuteAsync(connection, queries["CleanupDefunctSiloEntryKey"], read);
        Assert.Equal([(0, 0, 2)], await ReadAllAsync(connection, queries["MembershipReadAllKey"])); // only the version row

        await ExecuteAsync(connection, queries["DeleteMembershipTableEntriesKey"], ("DeploymentId", Deployment));
        Assert.Empty(await ReadAllAsync(connection, queries["MembershipReadAllKey"]));
    }

    private static (string, object?)[] Key(int port) =>
        [("DeploymentId", Deployment), ("Address", "127.0.0.1"), ("Port", port), ("Generation", 42)];

    private static (string, object?)[] Row(int version, int port) =>
        [.. Key(port), ("Version", version), ("SiloName", "silo"), ("HostName", "host"), ("Status", 3),
         ("ProxyPort", 30000), ("StartTime", Start), ("IAmAliveTime", Start)];

    private static async Task<Dictionary<string, string>> QueriesAsync(MySqlConnection connection)
    {
        await using var command = new MySqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var queries = new Dictionary<string, string>();
        while (await reader.ReadAsync())
            queries[reader.GetString(0)] = reader.GetString(1);
        return queries;
    }

    private static MySqlCommand Command(MySqlConnection connection, string text, (string Name, object? Value)[] parameters)
    {
        var command = new MySqlCommand(text, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>As the provider's GetSingleBooleanValue: exactly one column, converted to bool.</summary>
    private static async Task<bool> BoolAsync(MySqlConnection connection, string text, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, text, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no row returned");
        Assert.Equal(1, reader.FieldCount);
        var value = Convert.ToBoolean(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(await reader.ReadAsync(), "more than one row returned");
        return value;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string text, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, text, parameters);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>(Port, Status, Version) per row of MembershipReadAllKey; a version row alone reads (0, 0, v).</summary>
    private static async Task<List<(int Port, int Status, int Version)>> ReadAllAsync(MySqlConnection connection, string text)
    {
        await using var command = Command(connection, text, [("DeploymentId", Deployment)]);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, int, int)>();
        while (await reader.ReadAsync())
        {
            var version = Convert.ToInt32(reader["Version"], System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(reader["StartTime"] is DBNull ? (0, 0, version) : ((int)reader["Port"], (int)reader["Status"], version));
        }
        return rows;
    }
}
