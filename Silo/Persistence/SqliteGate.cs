using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace OrleansTracker.Silo.Persistence;

/// <summary>
/// Process-wide admission control for one SQLite file. Microsoft.Data.Sqlite is synchronous: a
/// command waiting for the file lock sleeps on its thread, so 200 grains writing while another
/// process holds the lock would park 200 thread-pool threads and stall every grain in the silo.
/// The gate lets one write (and, separately, one read) reach SQLite at a time; everyone else waits
/// on a <see cref="SemaphoreSlim"/>, which costs no thread. SQLite takes one writer at a time
/// anyway, so this loses no write throughput. Reads have their own slot because in WAL mode they
/// do not wait for writers: a stuck write must not stop activations from loading state.
/// </summary>
public sealed class SqliteGate
{
    private static readonly ConcurrentDictionary<string, SqliteGate> Gates = new(StringComparer.Ordinal);

    private SqliteGate(string dataSource) => DataSource = dataSource;

    /// <summary>The full path of the database file this gate guards.</summary>
    public string DataSource { get; }

    /// <summary>One writer (write, clear) at a time.</summary>
    public SemaphoreSlim Writes { get; } = new(1, 1);

    /// <summary>One reader at a time.</summary>
    public SemaphoreSlim Reads { get; } = new(1, 1);

    /// <summary>The gate for the database a connection string points at (one per file per process).</summary>
    public static SqliteGate For(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var key = dataSource.Length == 0 || dataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
            ? dataSource
            : Path.GetFullPath(dataSource);
        return Gates.GetOrAdd(key, static k => new SqliteGate(k));
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on the thread pool once <paramref name="slot"/> is free.
    /// Not inline: the caller is a grain's turn, and a command sleeping on the file lock would
    /// block that grain's scheduler thread, so not even an interleaving call (an announce while
    /// its torrent's flush waits) could run on it. The slot bounds the threads parked this way to
    /// one per slot.
    /// </summary>
    public static async Task RunAsync(SemaphoreSlim slot, Func<Task> operation)
    {
        await slot.WaitAsync();
        try
        {
            await Task.Run(operation);
        }
        finally
        {
            slot.Release();
        }
    }
}
