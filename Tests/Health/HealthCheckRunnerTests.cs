using OrleansTracker.Frontends.Health;
using Xunit;

namespace OrleansTracker.Tests.Health;

/// <summary>How the runner sums up its checks (the checks themselves are tested against the real process).</summary>
public sealed class HealthCheckRunnerTests
{
    private sealed class FixedCheck(string type, Func<CancellationToken, Task<string>> check) : IHealthCheck
    {
        public string ServiceType => type;
        public string Binding => "127.0.0.1:1";
        public string ServiceBinding => "test://127.0.0.1:1";
        public Task<string> CheckAsync(CancellationToken cancellationToken) => check(cancellationToken);
    }

    [Fact]
    public async Task No_checks_is_none()
    {
        var report = await new HealthCheckRunner([]).RunAsync();
        Assert.Equal("None", report.Status);
        Assert.Empty(report.Details);
    }

    [Fact]
    public async Task One_failure_makes_the_whole_an_error_naming_it()
    {
        var report = await new HealthCheckRunner(
        [
            new FixedCheck("udp_tracker", _ => Task.FromResult("Connected")),
            new FixedCheck("database", _ => throw new InvalidOperationException("file is not a database")),
        ]).RunAsync();

        Assert.Equal("Error", report.Status);
        Assert.Equal("database 127.0.0.1:1: file is not a database", report.Message);
        Assert.Equal("Connected", report.Details[0].Result.Ok);
        Assert.Null(report.Details[0].Result.Err);
        Assert.Equal("file is not a database", report.Details[1].Result.Err);
    }

    [Fact]
    public async Task A_check_that_never_answers_fails_after_the_timeout()
    {
        var report = await new HealthCheckRunner([new FixedCheck("udp_tracker", _ => new TaskCompletionSource<string>().Task)]).RunAsync();

        Assert.Equal("Error", report.Status);
        Assert.Equal("no answer within 3 s", report.Details[0].Result.Err);
    }

    [Fact]
    public async Task Requests_during_a_run_share_it()
    {
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var runner = new HealthCheckRunner([new FixedCheck("udp_tracker", _ => { Interlocked.Increment(ref runs); return release.Task; })]);

        var first = runner.RunAsync();
        var second = runner.RunAsync();
        release.SetResult("Connected");

        Assert.Same(await first, await second);
        Assert.Equal(1, runs);
        await runner.RunAsync();
        Assert.Equal(2, runs);
    }
}
