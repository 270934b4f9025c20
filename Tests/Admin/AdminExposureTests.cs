using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>An admin API on a non-loopback address without TLS is allowed, but the process says so at start.</summary>
public sealed class AdminExposureTests
{
    private const string Warning = "without TLS: access tokens and the keys it returns cross the network in clear text";

    // log_level "warn": the warning must survive the quietest useful level.
    private const string Config = """
        log_level = "warn"
        persistence = false
        db_path = "{dir}/data.db"

        [[udp_trackers]]
        enabled = true
        bind_address = "127.0.0.1:{udp}"

        [[http_trackers]]
        enabled = false

        [http_api]
        enabled = true
        bind_address = "{api_address}:{api}"
        {tls}

        # Off loopback the well-known default token is refused (AdminTokenConfigTests).
        [http_api.access_tokens]
        admin = "an-admin-token-nobody-can-guess"

        [cluster]
        silo_port = {silo}
        gateway_port = {gateway}
        """;

    private const string Tls = """
        ssl_enabled = true
        ssl_cert_path = "{cert}"
        ssl_key_path = "{key}"
        """;

    [Theory]
    [InlineData("0.0.0.0", false, true)]
    [InlineData("[::]", false, true)]
    [InlineData("0.0.0.0", true, false)]
    [InlineData("127.0.0.1", false, false)]
    public async Task a_non_loopback_api_without_tls_logs_a_warning_at_start(string address, bool tls, bool warns)
    {
        var config = Config.Replace("{api_address}", address).Replace("{tls}", tls ? Tls : "");
        await using var tracker = await TrackerProcess.StartAsync(config);
        // The warning is written with the start-up summary, once Kestrel (and so the API) is open,
        // which StartAsync waited for; the line itself may still be on its way through the pipe.
        if (warns)
            await Eventually.True(() => Task.FromResult(tracker.Output.Contains(Warning, StringComparison.Ordinal)), "the warning logged", TimeSpan.FromSeconds(10));
        Assert.Equal(warns, tracker.Output.Contains(Warning, StringComparison.Ordinal));
        Assert.Equal(0, await tracker.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(warns, tracker.Output.Contains(Warning, StringComparison.Ordinal));
    }
}
