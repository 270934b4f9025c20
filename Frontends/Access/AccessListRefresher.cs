using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Access;

/// <summary>
/// Keeps this process's <see cref="AccessPolicy"/> in step with the whitelist and key grains: it
/// polls their version every <see cref="FrontendOptions.AccessRefreshInterval"/> and fetches a new
/// snapshot only when it changed. Polling rather than pushing because it needs no subscription to
/// repair after a silo is lost or a grain moves; a change reaches every other silo within one
/// interval. The admin API of this process calls <see cref="ApplyNow"/> after each change before it
/// answers, so a key or hash it created works here at once and one it removed stops working here at
/// once (read your own writes). When the grains cannot be reached the last copy stays in force.
/// </summary>
public sealed partial class AccessListRefresher : IHostedService, IDisposable
{
    /// <summary>How long start waits for the first copy before the listeners open anyway.</summary>
    private static readonly TimeSpan FirstLoadTimeout = TimeSpan.FromSeconds(20);

    private readonly IGrainFactory _grains;
    private readonly AccessPolicy _policy;
    private readonly TimeSpan _interval;
    private readonly ILogger<AccessListRefresher> _logger;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// One refresh at a time: versions are compared only for equality, so a poll that read the grains
    /// before an admin change must not install its older copy after the change's own refresh did.
    /// </summary>
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Task? _loop;
    private bool _failing;

    public AccessListRefresher(IGrainFactory grains, AccessPolicy policy, IOptions<FrontendOptions> options, ILogger<AccessListRefresher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _policy = policy;
        _interval = options.Value.AccessRefreshInterval;
        _logger = logger;
    }

    /// <summary>Loads the first copy (so listeners never open on an empty key list), then polls.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_policy.RequiresKey && !_policy.RequiresWhitelist)
            return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FirstLoadTimeout);
        while (!await RefreshOnce() && !timeout.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        _loop = Task.Run(() => Loop(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is { } loop)
            await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _refreshing.Dispose();
    }

    /// <summary>
    /// Installs the grains' current lists in this process's policy before it returns: called by the
    /// admin API after a change it made. True when both copies are current; on false the periodic
    /// poll keeps trying (and has logged why).
    /// </summary>
    public Task<bool> ApplyNow() => RefreshOnce();

    private async Task Loop(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
                await RefreshOnce();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One poll of both grains; true when the policy holds a current copy of each it needs.</summary>
    public async Task<bool> RefreshOnce()
    {
        await _refreshing.WaitAsync();
        try
        {
            if (_policy.RequiresWhitelist)
            {
                var grain = AccessGrains.Whitelist(_grains);
                if (_policy.WhitelistVersion != await grain.Version())
                    _policy.Update(await grain.Snapshot());
            }
            if (_policy.RequiresKey)
            {
                var grain = AccessGrains.Keys(_grains);
                if (_policy.KeysVersion != await grain.Version())
                    _policy.Update(await grain.Snapshot());
            }
            if (_failing)
                LogRecovered();
            _failing = false;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!_failing)
                LogRefreshFailed(e);
            _failing = true;
            return false;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Whitelist/keys could not be refreshed; the last copy stays in force until they can")]
    private partial void LogRefreshFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Whitelist/keys refreshed again")]
    private partial void LogRecovered();
}
