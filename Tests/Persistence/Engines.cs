using OrleansTracker.Silo.Persistence;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Persistence;

/// <summary>A database the conformance suite runs against.</summary>
public interface IDatabaseEngine
{
    DatabaseSettings NewDatabase();
}

/// <summary>A fresh SQLite file per test under one temp directory.</summary>
public sealed class SqliteEngine : IDatabaseEngine, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tracker-sqlite-").FullName;
    private int _next;

    public DatabaseSettings NewDatabase() =>
        new(true, "sqlite3", Path.Combine(_directory, $"db{Interlocked.Increment(ref _next)}.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A fresh database per test on one private mariadbd (<see cref="MariaDbServer"/>, shared with the
/// end-to-end persistence tests).
/// </summary>
public sealed class MariaDbEngine : IDatabaseEngine, IDisposable
{
    private readonly MariaDbServer _server = new();
    private int _next;

    public int Port => _server.Port;

    public DatabaseSettings NewDatabase() =>
        new(true, "mysql", _server.DatabaseUrl($"tracker_test_{Interlocked.Increment(ref _next)}"));

    public void Dispose() => _server.Dispose();
}
