using System.Net;
using OrleansTracker.Silo.Config;
using OrleansTracker.Tests.Config;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>The tracker process as an operator starts it: default config, bad config, SIGTERM.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task missing_config_is_written_with_the_defaults_and_served_then_sigterm_exits_zero()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-defaults-").FullName;
        var ports = new TrackerPorts(6969, 7070, 0, 11111, 30000, Health: 1313); // the defaults in config.toml
        await using var tracker = TrackerProcess.StartRaw(directory, ports, "--config", "fresh.toml");
        try
        {
            await tracker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            var written = await File.ReadAllTextAsync(Path.Combine(directory, "fresh.toml"));
            var token = DefaultConfigTests.AdminTokenIn(written);
            Assert.Equal(DefaultConfig.WithAdminToken(token), written);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
            // The start says where the token is, never what it is.
            Assert.Contains($"Wrote default configuration to {Path.Combine(directory, "fresh.toml")}; the admin API token is http_api.access_tokens.admin in that file", tracker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(token, tracker.Output, StringComparison.Ordinal);
            AssertOnlyOurLines(tracker.Output);

            using var client = new UdpTrackerClient(new IPEndPoint(IPAddress.IPv6Loopback, 6969));
            await client.ConnectAsync();
            var answer = await client.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 4000, left: 0);
            Assert.Equal(1, answer.Seeders);
            Assert.True(File.Exists(Path.Combine(directory, "data.db")), "the default SQLite database was not created");

            Assert.Equal(0, await tracker.StopAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }

    /// <summary>
    /// A first start shows our own lines only: Orleans' ServerGC notes and its watchdog's report of the
    /// machine's uptime are filtered (StartupNoise), and the framework logs at warn and above.
    /// </summary>
    private static void AssertOnlyOurLines(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.Contains("Tracker ready", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.True(
            line.StartsWith("Wrote default configuration to ", StringComparison.Ordinal)
                || System.Text.RegularExpressions.Regex.IsMatch(line, @"^\S+Z info: OrleansTracker\."),
            $"a line that is not ours on a first start: {line}"));
    }

    /// <summary>A command other than run writes the missing file the same way and ends at once: two first
    /// starts, two different tokens.</summary>
    [Fact]
    public async Task two_first_starts_write_different_admin_tokens()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var directory = Directory.CreateTempSubdirectory("orleans-tracker-firststart-").FullName;
            await using var tracker = TrackerProcess.StartRaw(directory, TrackerPorts.Allocate(), "whitelist", "list", "--config", "config.toml");
            try
            {
                Assert.Equal(0, await tracker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
                tokens.Add(DefaultConfigTests.AdminTokenIn(await File.ReadAllTextAsync(Path.Combine(directory, "config.toml"))));
                Assert.DoesNotContain(tokens[^1], tracker.Output, StringComparison.Ordinal);
            }
            finally
            {
                tracker.DeleteDirectory();
            }
        }
        Assert.All(tokens, t => Assert.Matches("^[A-Za-z0-9_-]{43}$", t));
        Assert.NotEqual(tokens[0], tokens[1]);
    }

    [Fact]
    public async Task an_admin_api_on_a_public_address_with_the_well_known_token_exits_2_naming_the_key()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-publicapi-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "config.toml"),
            "[http_api]\nbind_address = \"0.0.0.0:1212\"\n\n[http_api.access_tokens]\nadmin = \"MyAccessToken\"\n");
        await using var tracker = TrackerProcess.StartRaw(directory, TrackerPorts.Allocate(), "--config", "config.toml");
        try
        {
            Assert.Equal(2, await tracker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("Configuration error: " + Path.Combine(directory, "config.toml") + ": http_api.access_tokens.admin: "
                + "\"MyAccessToken\" is the well-known default token, refused while http_api.bind_address (0.0.0.0:1212) is not a loopback address",
                tracker.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(directory, "data.db")), "nothing may start half-configured");
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }

    [Theory]
    [InlineData("mode = \"open\"", "mode")]
    [InlineData("peer_timeout = \"long\"", "peer_timeout")]
    [InlineData("colour = 1", "colour")]
    [InlineData("[[udp_trackers]]\nbind_address = \"nowhere\"", "udp_trackers[0].bind_address")]
    [InlineData("[[http_trackers]]\nssl_enabled = true\nssl_cert_path = \"/nonexistent/cert.pem\"\nssl_key_path = \"/nonexistent/key.pem\"", "ssl")]
    public async Task bad_config_exits_non_zero_with_a_message_naming_the_key(string toml, string key)
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-badconfig-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "config.toml"), toml + "\n");
        await using var tracker = TrackerProcess.StartRaw(directory, TrackerPorts.Allocate(), "--config", "config.toml");
        try
        {
            Assert.Equal(2, await tracker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("Configuration error", tracker.Output, StringComparison.Ordinal);
            Assert.Contains(key, tracker.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(directory, "data.db")), "nothing may start half-configured");
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }
}
