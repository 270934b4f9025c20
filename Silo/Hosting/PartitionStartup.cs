using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Grains;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// Makes sure every sweep partition has its reminder once the silo is up. Registering an existing
/// reminder again just updates its period, so a changed cleanup_interval takes effect on restart.
/// Then, every partition check interval, has each partition restore its reminder if the reminder
/// table lost it: Orleans' in-memory table (persistence off) goes with the silo that held it, and
/// without the reminders peer timeout would stop for the whole cluster.
/// </summary>
internal sealed partial class PartitionStartup(IGrainFactory grains, IOptions<TorrentOptions> options, ILogger<PartitionStartup> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _repair = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Partitions().Select(p => p.EnsureReminder()));
        _repair = RestoreLostRemindersAsync(_stop.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        try
        {
            await _repair.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _stop.Dispose();

    private IEnumerable<ISweepPartitionGrain> Partitions() =>
        Enumerable.Range(0, SweepPartitions.Count).Select(i => grains.GetGrain<ISweepPartitionGrain>(i));

    private async Task RestoreLostRemindersAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.PartitionCheckInterval);
        try
        {
            // All at once: a call to a partition whose silo just died may wait until the failure is
            // detected, and must not hold up the others.
            while (await timer.WaitForNextTickAsync(stop))
                await Task.WhenAll(Partitions().Select(p => RestoreQuietly(p, stop)));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task RestoreQuietly(ISweepPartitionGrain partition, CancellationToken stop)
    {
        try
        {
            await partition.RestoreReminderIfLost().WaitAsync(stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRestoreFailed(e, partition.GetPrimaryKeyLong());
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not check the reminder of sweep partition {Partition}; trying again at the next check")]
    private partial void LogRestoreFailed(Exception e, long partition);
}
