using System.Collections.Concurrent;

namespace OrleansTracker.Silo.Persistence;

/// <summary>
/// Runs tasks on one dedicated background thread. SQLite commands are synchronous underneath and
/// may sleep in SQLite's busy wait for as long as another connection holds the file lock; on this
/// thread that sleep parks no thread-pool thread and no grain turn.
/// </summary>
internal sealed class DedicatedThreadScheduler : TaskScheduler
{
    private readonly BlockingCollection<Task> _queue = [];
    private readonly Thread _thread;

    public DedicatedThreadScheduler(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Only the dedicated thread itself may run a task inline.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Run()
    {
        foreach (var task in _queue.GetConsumingEnumerable())
            TryExecuteTask(task);
    }
}
