using Microsoft.Data.Sqlite;
using MySqlConnector;
using OrleansTracker.Frontends.Health;
using OrleansTracker.Silo.Persistence;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// The database answers a query: SQLite opens the file afresh (it must exist: the tracker created it)
/// and reads its schema page (run on
/// the file's read slot like every other read, see <see cref="SqliteGate"/>), MySQL answers
/// <c>SELECT 1</c> on a pooled connection.
/// </summary>
internal sealed class DatabaseHealthCheck(DatabaseSettings database) : IHealthCheck
{
    private readonly string _connectionString = database.ToConnectionString();

    // A connection of its own each time: a pooled SQLite connection keeps the file it opened (even
    // one deleted or replaced since) and its cached pages, and would answer from them.
    private readonly string _sqliteProbe = database.ParsedDriver == DatabaseDriver.Sqlite
        ? new SqliteConnectionStringBuilder(database.ToConnectionString()) { Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ConnectionString
        : "";

    public string ServiceType => "database";

    public string Binding => database.ParsedDriver == DatabaseDriver.Sqlite
        ? $"sqlite3 {new SqliteConnectionStringBuilder(_connectionString).DataSource}"
        : DatabaseConnectionStrings.DescribeMySql(_connectionString);

    public string ServiceBinding => Binding;

    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        if (database.ParsedDriver == DatabaseDriver.Sqlite)
        {
            await SqliteGate.For(_connectionString).ReadAsync(async () =>
            {
                await using var connection = new SqliteConnection(_sqliteProbe);
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM sqlite_master";
                await command.ExecuteScalarAsync(cancellationToken);
            });
            return "Ok";
        }
        await using var mysql = new MySqlConnection(_connectionString);
        await mysql.OpenAsync(cancellationToken);
        await using var ping = mysql.CreateCommand();
        ping.CommandText = "SELECT 1";
        await ping.ExecuteScalarAsync(cancellationToken);
        return "Ok";
    }
}
