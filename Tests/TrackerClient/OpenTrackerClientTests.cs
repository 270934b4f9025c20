using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Support.TrackerClientCli;

namespace OrleansTracker.Tests.TrackerClient;

/// <summary>
/// <c>orleans-tracker client</c> and <c>check</c> against a tracker we did not write: Debian's
/// opentracker over UDP and HTTP, as real processes on loopback.
/// </summary>
public sealed class OpenTrackerClientTests(OpenTracker opentracker) : IClassFixture<OpenTracker>
{
    [OpenTrackerFact]
    public async Task announce_over_udp_and_http_prints_opentrackers_answer_as_json_with_the_peers()
    {
        var udp = await RunAsync("client", "announce", opentracker.Udp, opentracker.ListedHash, "--port", "7001", "--left", "100");
        Assert.True(udp.ExitCode == 0, udp.Stderr);
        var udpAnswer = Json(udp);
        Assert.True(udpAnswer.GetProperty("interval").GetInt32() > 0);
        Assert.True(udpAnswer.GetProperty("incomplete").GetInt32() >= 1);

        var http = await RunAsync("client", "announce", opentracker.Http, opentracker.ListedHash, "--port", "7002");
        Assert.True(http.ExitCode == 0, http.Stderr);
        var httpAnswer = Json(http);
        Assert.True(httpAnswer.GetProperty("min interval").GetInt32() > 0);
        Assert.True(httpAnswer.GetProperty("complete").GetInt32() >= 1);
        // The leecher the UDP announce left is handed to the HTTP seeder.
        Assert.Contains("127.0.0.1:7001", httpAnswer.GetProperty("peers").EnumerateArray().Select(p => p.GetString()));
        Assert.False(udp.WroteConfig || http.WroteConfig, "the client wrote a config.toml");
    }

    [OpenTrackerFact]
    public async Task scrape_over_udp_and_http_reads_the_same_counts()
    {
        Assert.Equal(0, (await RunAsync("client", "announce", opentracker.Udp, opentracker.ListedHash, "--port", "7003")).ExitCode);
        var udp = Json(await RunAsync("client", "scrape", opentracker.Udp, opentracker.ListedHash));
        var http = Json(await RunAsync("client", "scrape", opentracker.Http, opentracker.ListedHash));
        var udpFile = udp.GetProperty("files").GetProperty(opentracker.ListedHash);
        var httpFile = http.GetProperty("files").GetProperty(opentracker.ListedHash);
        Assert.True(udpFile.GetProperty("complete").GetInt32() >= 1);
        Assert.Equal(udpFile.GetProperty("complete").GetInt32(), httpFile.GetProperty("complete").GetInt32());
        Assert.Equal(udpFile.GetProperty("incomplete").GetInt32(), httpFile.GetProperty("incomplete").GetInt32());
    }

    [OpenTrackerFact]
    public async Task a_hash_off_the_whitelist_is_a_refusal_exit_1_over_http_with_its_failure_reason_and_over_udp()
    {
        var other = Convert.ToHexStringLower(TestPeers.NewInfoHash());
        var http = await RunAsync("client", "announce", opentracker.Http, other);
        Assert.Equal(1, http.ExitCode);
        Assert.Contains("not authorized", Json(http).GetProperty("failure reason").GetString(), StringComparison.Ordinal);
        var udp = await RunAsync("client", "announce", opentracker.Udp, other);
        Assert.Equal(1, udp.ExitCode);
        Assert.Contains("refused", Json(udp).GetProperty("failure reason").GetString(), StringComparison.Ordinal);
    }

    [OpenTrackerFact]
    public async Task check_passes_on_both_protocols_and_fails_for_a_refused_hash()
    {
        var passing = await RunAsync("check", opentracker.Udp, opentracker.Http, "--info-hash", opentracker.ListedHash);
        Assert.True(passing.ExitCode == 0, passing.Stdout + passing.Stderr);
        var lines = passing.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("ok ", line, StringComparison.Ordinal));

        var refused = await RunAsync("check", opentracker.Http); // the default hash is not on opentracker's whitelist
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"failed {opentracker.Http}", refused.Stdout, StringComparison.Ordinal);
        Assert.Contains("refused", refused.Stdout, StringComparison.Ordinal);
    }
}
