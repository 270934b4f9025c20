using System.Globalization;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>Where an end-to-end persistence test keeps the tracker's data, and how it looks inside.</summary>
public interface ITrackerDatabase
{
    /// <summary>config.toml's db_driver.</summary>
    string Driver { get; }

    /// <summary>A fresh db_path for a tracker whose folder is <paramref name="trackerDirectory"/>.</summary>
    string NewDbPath(string trackerDirectory);

    /// <summary>True when the file or database behind <paramref name="dbPath"/> exists.</summary>
    Task<bool> ExistsAsync(string dbPath);

    /// <summary>Rows in OrleansStorage (one per torrent whose completed count was written), read straight from the database.</summary>
    Task<long> CountStoredTorrentsAsync(string dbPath);
}

/// <summary>SQLite: data.db in the tracker's temp folder.</summary>
public sealed class SqliteTrackerDatabase : ITrackerDatabase
{
    public string Driver => "sqlite3";

    public string NewDbPath(string trackerDirectory) => Path.Combine(trackerDirectory, "data.db");

    public Task<bool> ExistsAsync(string dbPath) =>
        Task.FromResult(File.Exists(dbPath) || File.Exists(dbPath + "-wal") || File.Exists(dbPath + "-shm"));

    public async Task<long> CountStoredTorrentsAsync(string dbPath)
    {
        // No pooling: the test must not keep the file open, and must see the tracker's commits.
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = dbPath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 5,
        }.ConnectionString;
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

/// <summary>MariaDB: a fresh database per tracker on one private mariadbd (see <see cref="MariaDbServer"/>).</summary>
public sealed class MariaDbTrackerDatabase : ITrackerDatabase, IDisposable
{
    private readonly MariaDbServer _server = new();
    private int _next;

    public string Driver => "mysql";

    public string NewDbPath(string trackerDirectory) =>
        _server.DatabaseUrl($"tracker_e2e_{Interlocked.Increment(ref _next)}");

    public async Task<bool> ExistsAsync(string dbPath)
    {
        await using var connection = new MySqlConnection(_server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @name", connection);
        command.Parameters.AddWithValue("@name", DatabaseName(dbPath));
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
    }

    public async Task<long> CountStoredTorrentsAsync(string dbPath)
    {
        await using var connection = new MySqlConnection(_server.ConnectionString(DatabaseName(dbPath)));
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT COUNT(*) FROM OrleansStorage", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _server.Dispose();

    private static string DatabaseName(string url) => new Uri(url).AbsolutePath.Trim('/');
}
