using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using OrleansTracker.Grains.Cluster;

namespace OrleansTracker.Silo.Persistence;

/// <summary>
/// Cluster secrets in the tracker-owned <c>tracker_secrets</c> table. The database decides the race
/// between silos starting together: every silo offers a random value, the first insert wins, and all
/// read back the winner. Called once per activation of the secret grain, so SQLite's synchronous
/// I/O does not matter here.
/// </summary>
internal sealed class DatabaseClusterSecretStore(DatabaseSettings settings) : IClusterSecretStore
{
    public async Task<byte[]> GetOrCreateAsync(string name, int length, CancellationToken cancellationToken)
    {
        var sqlite = settings.ParsedDriver == DatabaseDriver.Sqlite;
        var connectionString = settings.ToConnectionString();
        await using DbConnection connection = sqlite ? new SqliteConnection(connectionString) : new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"{(sqlite ? "INSERT OR IGNORE" : "INSERT IGNORE")} INTO tracker_secrets (name, value) VALUES (@name, @value);";
            Add(insert, "@name", name);
            Add(insert, "@value", RandomNumberGenerator.GetBytes(length));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT value FROM tracker_secrets WHERE name = @name;";
        Add(select, "@name", name);
        var value = await select.ExecuteScalarAsync(cancellationToken) as byte[];
        return value is { Length: var n } && n == length
            ? value
            : throw new InvalidOperationException($"tracker_secrets row '{name}' does not hold {length} bytes; delete the row to have it created again.");
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
