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

    // One thread per slot: whatever SQLite blocks on, it blocks there.
    private readonly DedicatedThreadScheduler _writeThread = new("sqlite writes");
    private readonly DedicatedThreadScheduler _readThread = new("sqlite reads");

    /// <summary>Runs a write or clear once the write slot is free, on the gate's write thread.</summary>
    public Task WriteAsync(Func<Task> operation) => RunAsync(Writes, _writeThread, operation);

    /// <summary>Runs a read once the read slot is free, on the gate's read thread.</summary>
    public Task ReadAsync(Func<Task> operation) => RunAsync(Reads, _readThread, operation);

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
    /// Runs <paramref name="operation"/> on the slot's dedicated thread once the slot is free. Not
    /// inline: the caller is a grain's turn, and a command sleeping on the file lock would block
    /// that grain (not even an interleaving announce could run while its flush waits). Not on the
    /// thread pool either: a pool thread parked in SQLite's busy wait shrinks the pool that every
    /// grain and socket shares. Microsoft.Data.Sqlite's async methods complete synchronously, so the
    /// whole operation runs on that thread.
    /// </summary>
    private static async Task RunAsync(SemaphoreSlim slot, TaskScheduler thread, Func<Task> operation)
    {
        await slot.WaitAsync();
        try
        {
            await Task.Factory.StartNew(operation, CancellationToken.None, TaskCreationOptions.DenyChildAttach, thread).Unwrap();
        }
        finally
        {
            slot.Release();
        }
    }
}
