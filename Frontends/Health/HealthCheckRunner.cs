namespace OrleansTracker.Frontends.Health;

/// <summary>
/// Runs every registered <see cref="IHealthCheck"/> at once, each bounded by <see cref="CheckTimeout"/>,
/// and sums them up: "Ok" when all pass, "Error" when any fails, "None" when nothing is registered.
/// Requests that arrive while a run is under way share it, so a client polling in a loop cannot
/// make the tracker probe its own listeners faster than one run at a time.
/// </summary>
public sealed class HealthCheckRunner(IEnumerable<IHealthCheck> checks)
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    private readonly IHealthCheck[] _checks = [.. checks];
    private readonly Lock _lock = new();
    private Task<HealthReportJson>? _running;

    public Task<HealthReportJson> RunAsync()
    {
        lock (_lock)
        {
            if (_running is null || _running.IsCompleted)
                _running = RunAllAsync();
            return _running;
        }
    }

    private async Task<HealthReportJson> RunAllAsync()
    {
        if (_checks.Length == 0)
            return new HealthReportJson("None", "no listener or database to check", []);
        var details = await Task.WhenAll(_checks.Select(CheckOneAsync));
        var failed = details.Where(d => d.Result.Err is not null).ToList();
        return failed.Count == 0
            ? new HealthReportJson("Ok", "", details)
            : new HealthReportJson("Error", string.Join("; ", failed.Select(f => $"{f.ServiceType} {f.Binding}: {f.Result.Err}")), details);
    }

    private static async Task<HealthDetailJson> CheckOneAsync(IHealthCheck check)
    {
        HealthResultJson result;
        using var timeout = new CancellationTokenSource(CheckTimeout);
        try
        {
            var ok = await check.CheckAsync(timeout.Token).WaitAsync(timeout.Token);
            result = new HealthResultJson(ok, null);
        }
        catch (OperationCanceledException)
        {
            result = new HealthResultJson(null, $"no answer within {CheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception e)
        {
            result = new HealthResultJson(null, e.Message);
        }
        return new HealthDetailJson(check.Binding, check.ServiceType, check.ServiceBinding,
            $"checking the {check.ServiceType.Replace('_', ' ')} at {check.ServiceBinding}", result);
    }
}
