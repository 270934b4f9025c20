using OrleansTracker.Tests.EndToEnd;
using Xunit;
using static OrleansTracker.Tests.Support.TrackerClientCli;

namespace OrleansTracker.Tests.TrackerClient;

/// <summary>
/// <c>--key</c> on a private_listed tracker: the key travels where our frontends read it (HTTP and
/// WebSocket path <c>/announce/KEY</c>, UDP's BEP 41 URL data), and a missing key is a refusal.
/// </summary>
public sealed class PrivateTrackerClientTests(PrivateClientTrackerFixture fixture) : IClassFixture<PrivateClientTrackerFixture>
{
    private static readonly string Listed = Convert.ToHexStringLower(AccessSeeds.Listed);

    [Fact]
    public async Task with_key_announce_works_over_udp_http_and_websocket_and_the_keyed_scrape_shows_the_counts()
    {
        foreach (var url in new[] { fixture.Udp4, fixture.Udp6, fixture.Http, fixture.Ws })
        {
            var announce = await RunAsync("client", "announce", url, Listed, "--key", AccessSeeds.PermanentKey, "--left", "0");
            Assert.True(announce.ExitCode == 0, $"{url}: {announce.Stdout}{announce.Stderr}");
            Assert.True(Json(announce).GetProperty("complete").GetInt32() >= 1, url);
        }
        var scrape = await RunAsync("client", "scrape", fixture.Http, Listed, "--key", AccessSeeds.PermanentKey);
        Assert.True(scrape.ExitCode == 0, scrape.Stderr);
        Assert.True(Json(scrape).GetProperty("files").GetProperty(Listed).GetProperty("complete").GetInt32() >= 1);
    }

    [Fact]
    public async Task without_a_key_the_failure_reason_is_printed_as_json_and_check_fails()
    {
        foreach (var url in new[] { fixture.Udp4, fixture.Http, fixture.Ws })
        {
            var refused = await RunAsync("client", "announce", url, Listed);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("authentication key", Json(refused).GetProperty("failure reason").GetString(), StringComparison.Ordinal);
        }
        var check = await RunAsync("check", fixture.Http, "--info-hash", Listed);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("refused: missing authentication key", check.Stdout, StringComparison.Ordinal);

        var keyed = await RunAsync("check", fixture.Udp4, fixture.Http, fixture.Ws, "--info-hash", Listed, "--key", AccessSeeds.PermanentKey);
        Assert.True(keyed.ExitCode == 0, keyed.Stdout + keyed.Stderr);
    }
}
