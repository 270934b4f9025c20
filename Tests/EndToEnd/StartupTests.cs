using System.Net;
using OrleansTracker.Silo.Config;
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
        var ports = new TrackerPorts(6969, 7070, 0, 11111, 30000); // the defaults in config.toml
        await using var tracker = TrackerProcess.StartRaw(directory, ports, "--config", "fresh.toml");
        try
        {
            await tracker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(DefaultConfig.Text, await File.ReadAllTextAsync(Path.Combine(directory, "fresh.toml")));

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
