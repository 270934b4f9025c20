using System.Net;
using OrleansTracker.Silo.Config;
using OrleansTracker.Tests.Config;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Deploy;

/// <summary>What an operator gets from <c>dotnet publish</c>: one executable that runs from an empty
/// folder, configures itself, serves, and stops cleanly on SIGTERM.</summary>
public sealed class PublishedExecutableTests(PublishedExecutable published) : IClassFixture<PublishedExecutable>
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // the release binary is built for Linux
    public void the_publish_folder_holds_one_executable()
    {
        Assert.Equal(["orleans-tracker"], Directory.GetFiles(published.Folder).Select(Path.GetFileName));
        Assert.True(File.GetUnixFileMode(published.Executable).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task from_an_empty_folder_it_writes_config_toml_serves_an_announce_and_exits_zero_on_sigterm()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-published-").FullName;
        var ports = TrackerPorts.Allocate();
        // No config file and no --config: the defaults, with the ports moved to free loopback ones
        // through the environment, as a container or systemd unit would.
        var environment = new Dictionary<string, string>
        {
            ["ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS"] = $"127.0.0.1:{ports.Udp}",
            ["ORLEANSTRACKER__HTTP_TRACKERS__0__BIND_ADDRESS"] = $"127.0.0.1:{ports.Http}",
            ["ORLEANSTRACKER__HTTP_API__BIND_ADDRESS"] = $"127.0.0.1:{ports.Api}",
            ["ORLEANSTRACKER__CLUSTER__SILO_PORT"] = $"{ports.Silo}",
            ["ORLEANSTRACKER__CLUSTER__GATEWAY_PORT"] = $"{ports.Gateway}",
            ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = published.ExtractionFolder,
        };
        await using var tracker = TrackerProcess.StartRaw(directory, ports, published.Executable, environment);
        try
        {
            await tracker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            var written = await File.ReadAllTextAsync(Path.Combine(directory, "config.toml"));
            Assert.Equal(DefaultConfig.WithAdminToken(DefaultConfigTests.AdminTokenIn(written)), written);
            Assert.NotEqual(HttpApiConfig.WellKnownToken, DefaultConfigTests.AdminTokenIn(written));

            using (var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, ports.Udp)))
            {
                await udp.ConnectAsync();
                var answer = await udp.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6401, left: 0);
                Assert.Equal(1, answer.Seeders);
            }
            using (var http = new TrackerHttpClient($"http://127.0.0.1:{ports.Http}"))
            {
                var answer = await http.AnnounceAsync("/announce", TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6402, left: 0);
                Assert.Null(TrackerHttpClient.Failure(answer));
                Assert.Equal(1L, answer["complete"]);
            }
            // One summary line per listener, and where the API is.
            Assert.Contains($"Tracker ready: udp://127.0.0.1:{ports.Udp}/announce (mode public)", tracker.Output, StringComparison.Ordinal);
            Assert.Contains($"Tracker ready: http://127.0.0.1:{ports.Http}/announce (mode public)", tracker.Output, StringComparison.Ordinal);
            Assert.Contains($"Admin API ready: http://127.0.0.1:{ports.Api}/api/v1/stats", tracker.Output, StringComparison.Ordinal);

            Assert.Equal(0, await tracker.StopAsync(TimeSpan.FromSeconds(30)));
            Assert.True(File.Exists(Path.Combine(directory, "data.db")), "the default SQLite database was not created");
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }

    [Fact]
    public async Task help_version_and_print_config_answer_from_the_executable()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-published-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN"] = "PublishedToken987",
            ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = published.ExtractionFolder,
        };
        try
        {
            var help = await RunAsync("--help");
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("usage: orleans-tracker", help.Output, StringComparison.Ordinal);
            Assert.Contains("import torrust", help.Output, StringComparison.Ordinal);

            var version = await RunAsync("--version");
            Assert.Equal(0, version.ExitCode);
            Assert.StartsWith("orleans-tracker ", version.Output, StringComparison.Ordinal);

            var printed = await RunAsync("--print-config");
            Assert.Equal(0, printed.ExitCode);
            Assert.Contains("admin = \"***\"", printed.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("PublishedToken987", printed.Output, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
        {
            await using var process = TrackerProcess.StartRaw(directory, TrackerPorts.Allocate(), published.Executable, environment, arguments);
            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            return (exitCode, process.StandardOutput);
        }
    }
}
