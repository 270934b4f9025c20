using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Support.TrackerClientCli;

namespace OrleansTracker.Tests.TrackerClient;

/// <summary>
/// <c>orleans-tracker client</c> and <c>check</c>, run as real processes, against our own tracker
/// process over UDP (IPv4 and IPv6), HTTP and WebSocket (plain and TLS).
/// </summary>
public sealed class OwnTrackerClientTests(PublicClientTrackerFixture fixture) : IClassFixture<PublicClientTrackerFixture>
{
    private static string NewHash() => Convert.ToHexStringLower(TestPeers.NewInfoHash());

    [Fact]
    public async Task udp_announce_over_ipv4_and_ipv6_prints_json_with_the_other_peer()
    {
        var hash = NewHash();
        var first = await RunAsync("client", "announce", fixture.Udp4, hash, "--port", "7101", "--left", "10");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.False(first.WroteConfig, "the client wrote a config.toml");
        var firstAnswer = Json(first);
        Assert.Equal(120, firstAnswer.GetProperty("interval").GetInt32());
        Assert.Equal(1, firstAnswer.GetProperty("incomplete").GetInt32());

        var second = await RunAsync("client", "announce", fixture.Udp6, hash, "--port", "7102", "--left", "0");
        Assert.True(second.ExitCode == 0, second.Stderr);
        var answer = Json(second);
        Assert.Equal((1, 1), (answer.GetProperty("complete").GetInt32(), answer.GetProperty("incomplete").GetInt32()));
        // An IPv6 announce is given IPv6 peers (BEP 15: the answer's family is the request's): none yet.
        Assert.Empty(answer.GetProperty("peers").EnumerateArray());

        var third = Json(await RunAsync("client", "announce", fixture.Udp4, hash, "--port", "7103"));
        Assert.Contains("127.0.0.1:7101", third.GetProperty("peers").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task http_announce_and_scrape_print_json_keyed_by_the_hex_hash()
    {
        var hash = NewHash();
        var announce = await RunAsync("client", "announce", fixture.Http, hash, "--left", "0");
        Assert.True(announce.ExitCode == 0, announce.Stderr);
        var answer = Json(announce);
        Assert.Equal(60, answer.GetProperty("min interval").GetInt32());
        Assert.Equal(1, answer.GetProperty("complete").GetInt32());

        var scrape = await RunAsync("client", "scrape", fixture.Http, hash, NewHash());
        Assert.True(scrape.ExitCode == 0, scrape.Stderr);
        var file = Json(scrape).GetProperty("files").GetProperty(hash);
        Assert.Equal((1, 0, 0), (file.GetProperty("complete").GetInt32(), file.GetProperty("downloaded").GetInt32(), file.GetProperty("incomplete").GetInt32()));
    }

    [Fact]
    public async Task websocket_announce_and_scrape_work_and_wss_needs_insecure_for_a_self_signed_certificate()
    {
        var hash = NewHash();
        var announce = await RunAsync("client", "announce", fixture.Ws, hash, "--left", "5");
        Assert.True(announce.ExitCode == 0, announce.Stderr);
        Assert.Equal(120, Json(announce).GetProperty("interval").GetInt32());

        var scrape = await RunAsync("client", "scrape", fixture.Wss + "/announce", hash, "--insecure");
        Assert.True(scrape.ExitCode == 0, scrape.Stderr);
        // The announcing client's socket closed when it exited: its peer went with it.
        Assert.Equal(0, Json(scrape).GetProperty("files").GetProperty(hash).GetProperty("incomplete").GetInt32());

        var untrusted = await RunAsync("client", "scrape", fixture.Wss, hash, "--timeout", "3");
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains(fixture.Wss, untrusted.Stderr, StringComparison.Ordinal);
        Assert.Contains("--insecure", untrusted.Stderr, StringComparison.Ordinal);
        Assert.Empty(untrusted.Stdout);
    }

    [Fact]
    public async Task check_passes_on_every_protocol_and_leaves_no_peer_behind()
    {
        var hash = NewHash();
        var check = await RunAsync("check", fixture.Udp4, fixture.Udp6, fixture.Http, fixture.Ws, fixture.Wss, "--insecure", "--info-hash", hash);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        var lines = check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^ok \S+ \d+ ms ", line));
        var scrape = Json(await RunAsync("client", "scrape", fixture.Udp4, hash)).GetProperty("files").GetProperty(hash);
        Assert.Equal((0, 0), (scrape.GetProperty("complete").GetInt32(), scrape.GetProperty("incomplete").GetInt32()));
    }

    [Fact]
    public async Task check_fails_for_a_tracker_that_does_not_answer_and_says_which()
    {
        var silent = $"udp://127.0.0.1:{FreePorts.Next()}";
        var check = await RunAsync("check", fixture.Udp4, silent, "--timeout", "2");
        Assert.Equal(1, check.ExitCode);
        var lines = check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"ok {fixture.Udp4} ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"failed {silent} ", lines[1], StringComparison.Ordinal);

        var client = await RunAsync("client", "announce", $"http://127.0.0.1:{FreePorts.Next()}/announce", NewHash(), "--timeout", "2");
        Assert.Equal(1, client.ExitCode);
        Assert.Contains("cannot reach", client.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client", "announce", "udp://127.0.0.1:6969", "0123", "not an info hash")]
    [InlineData("client", "announce", "udp://127.0.0.1:6969", "zz23456789abcdef0123456789abcdef01234567", "not an info hash")]
    [InlineData("client", "scrape", "gopher://127.0.0.1:70", "0123456789abcdef0123456789abcdef01234567", "the scheme 'gopher'")]
    [InlineData("client", "announce", "udp://127.0.0.1", "0123456789abcdef0123456789abcdef01234567", "has no port")]
    [InlineData("check", "udp://127.0.0.1:6969", "--timeout", "0", "--timeout")]
    [InlineData("client", "announce", "udp://127.0.0.1:6969", "0123456789abcdef0123456789abcdef01234567", "--event", "begun", "--event")]
    public async Task a_bad_hash_url_or_option_exits_2_with_a_message_and_sends_nothing(params string[] argumentsThenMessage)
    {
        var result = await RunAsync(argumentsThenMessage[..^1]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(argumentsThenMessage[^1], result.Stderr, StringComparison.Ordinal);
        Assert.False(result.WroteConfig, "the client wrote a config.toml");
    }
}
