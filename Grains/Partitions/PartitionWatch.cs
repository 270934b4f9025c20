using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Torrents;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// Runs on every silo. A sweep partition keeps the list of its swarms in memory, so when it is
/// activated again on another silo (its silo crashed or stopped) it starts with an empty list and
/// would neither sweep nor count nor flush the swarms that registered with its old activation.
/// Every <see cref="TorrentOptions.PartitionCheckInterval"/> this asks each partition for its
/// incarnation (a new one per activation); when that changed, it asks this silo's torrent
/// activations of the partition's bucket (from <see cref="SiloSwarms"/>) to register again. Cost: 16
/// small grain calls per silo per interval; nothing on the announce path.
/// </summary>
internal sealed partial class PartitionWatch(
    IGrainFactory grains,
    SiloSwarms local,
    IOptions<TorrentOptions> options,
    ILogger<PartitionWatch> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    // Bounded fan-out of Rejoin calls, as the partition's sweep does.
    private const int Fanout = 64;

    private readonly Guid?[] _seen = new Guid?[SweepPartitions.Count];
    // One check per partition at a time: a call to a partition whose silo just died may hang
    // until the failure is detected, and must not hold up the others.
    private readonly Task?[] _checks = new Task?[SweepPartitions.Count];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Dispose() => _stop.Dispose();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PartitionWatch), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _loop = RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.PartitionCheckInterval);
        do
        {
            for (var partition = 0; partition < SweepPartitions.Count; partition++)
            {
                if (_checks[partition] is null or { IsCompleted: true })
                    _checks[partition] = CheckAsync(partition, stop);
            }
        }
        while (await WaitQuietly(timer, stop));
    }

    private static async Task<bool> WaitQuietly(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task CheckAsync(int partition, CancellationToken stop)
    {
        try
        {
            var incarnation = await grains.GetGrain<ISweepPartitionGrain>(partition).Incarnation().WaitAsync(stop);
            if (_seen[partition] == incarnation)
                return;
            var (swarms, failed) = await RejoinAsync(partition, stop);
            // After a failure the next check tries every swarm again (registering twice is harmless).
            if (failed == 0)
                _seen[partition] = incarnation;
            if (swarms > 0)
                LogRejoined(partition, swarms, failed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCheckFailed(e, partition);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<(int Swarms, int Failed)> RejoinAsync(int partition, CancellationToken stop)
    {
        var hashes = local.SwarmsOf(partition);
        var failed = 0;
        foreach (var chunk in hashes.Chunk(Fanout))
        {
            stop.ThrowIfCancellationRequested();
            var results = await Task.WhenAll(chunk.Select(RejoinOne));
            failed += results.Count(ok => !ok);
        }
        return (hashes.Length, failed);
    }

    private async Task<bool> RejoinOne(InfoHash hash)
    {
        try
        {
            await grains.GetGrain<ITorrentGrain>(TorrentKeys.For(hash)).Rejoin();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRejoinFailed(e, hash);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep partition {Partition} has a new activation; {Swarms} swarms of this silo registered with it again ({Failed} failed, retried at the next check)")]
    private partial void LogRejoined(int partition, int swarms, int failed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not check sweep partition {Partition}; trying again at the next check")]
    private partial void LogCheckFailed(Exception e, int partition);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Swarm {Hash} could not register again with its partition")]
    private partial void LogRejoinFailed(Exception e, InfoHash hash);
}
