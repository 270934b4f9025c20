using OrleansTracker.Grains.Swarm;

namespace OrleansTracker.Tests.Swarm;

/// <summary>
/// An in-memory <see cref="ICompletedCountStore"/> whose writes can be made to fail or to wait, so
/// the writer's rules (no overlapping writes, a failure keeps the count) can be checked without a
/// database. The real store (Orleans grain state on SQLite/MariaDB) is covered by the grain and
/// persistence tests.
/// </summary>
internal sealed class CompletedCountStoreDouble(long stored = 0, bool wasRead = true) : ICompletedCountStore
{
    private TaskCompletionSource? _held;

    public bool WasRead { get; private set; } = wasRead;

    public long Stored { get; private set; } = stored;

    /// <summary>What the "database" holds (differs from <see cref="Stored"/> while unread).</summary>
    public long InDatabase { get; set; } = stored;

    public bool Failing { get; set; }

    public List<long> Writes { get; } = [];

    public int Running { get; private set; }

    public int MostRunningAtOnce { get; private set; }

    /// <summary>Holds the next writes until <see cref="Release"/>.</summary>
    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _held?.TrySetResult();

    public Task ReadAsync()
    {
        if (Failing)
            throw new IOException("database away");
        Stored = InDatabase;
        WasRead = true;
        return Task.CompletedTask;
    }

    public async Task WriteAsync(long completed)
    {
        Running++;
        MostRunningAtOnce = Math.Max(MostRunningAtOnce, Running);
        try
        {
            if (_held is { } held)
                await held.Task;
            if (Failing)
                throw new IOException("database away");
            Writes.Add(completed);
            Stored = InDatabase = completed;
        }
        finally
        {
            Running--;
        }
    }
}
