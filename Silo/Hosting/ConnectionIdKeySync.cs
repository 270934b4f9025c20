using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// Gives this process's UDP frontends the cluster's connection-id key before their sockets open,
/// then re-reads it every <see cref="RefreshInterval"/>: a key that changes (persistence = false
/// and the silo holding it was lost, or a future rotation) reaches every frontend within a minute,
/// and the issuer keeps accepting ids made with the key before it.
/// </summary>
internal sealed partial class ConnectionIdKeySync(
    IGrainFactory grains, ConnectionIdIssuer issuer, TimeProvider time, ILogger<ConnectionIdKeySync> logger)
    : IHostedService, IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private Task _refresh = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Without the cluster key this node still works alone: its ids are valid here only, and
        // clients whose connect was answered elsewhere simply connect again.
        if (!await TryLoadAsync(cancellationToken))
            LogStartWithoutKey(logger);
        _refresh = RefreshAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RefreshAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(RefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
                await TryLoadAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task<bool> TryLoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var key = await grains.GetGrain<IClusterSecretGrain>(0).ConnectionIdKey()
                .WaitAsync(CallTimeout, time, cancellationToken);
            issuer.Rekey(key);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogLoadFailed(logger, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the cluster's connection-id key: {Reason}; retrying every minute")]
    private static partial void LogLoadFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "UDP starts with a key of its own until the cluster's connection-id key can be read: connection ids are valid on this node only")]
    private static partial void LogStartWithoutKey(ILogger logger);
}
