using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Access;

/// <summary>
/// Keeps this process's <see cref="AccessPolicy"/> in step with the whitelist and key grains: it
/// polls their version every <see cref="FrontendOptions.AccessRefreshInterval"/> and fetches a new
/// snapshot only when it changed. Polling rather than pushing because it needs no subscription to
/// repair after a silo is lost or a grain moves; a revocation reaches every silo within one
/// interval. When the grains cannot be reached the last copy stays in force.
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

    public void Dispose() => _stopping.Dispose();

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
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Whitelist/keys could not be refreshed; the last copy stays in force until they can")]
    private partial void LogRefreshFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Whitelist/keys refreshed again")]
    private partial void LogRecovered();
}
