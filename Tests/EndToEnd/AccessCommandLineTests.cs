using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// The keys and whitelist commands on a stopped tracker's database, and a private_listed tracker
/// started on what they wrote: an operator seeding a private tracker before its first start.
/// </summary>
public sealed class AccessCommandLineTests
{
    private const string GivenKey = "OperatorChosenKey000000000000001";

    [Fact]
    public async Task keys_and_whitelist_written_before_start_are_served_and_survive_restarts()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-cli-").FullName;
        var ports = TrackerPorts.Allocate();
        var config = AccessTrackerFixture.ConfigTemplate.Replace("{mode}", "private_listed", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(directory, "config.toml"), TrackerProcess.Fill(config, directory, ports, ("", "")));
        var hash = TestPeers.NewInfoHash();
        var hex = Convert.ToHexStringLower(hash);
        try
        {
            var (code, output) = await TrackerCli.RunAsync(directory, "keys", "add", "--seconds", "3600");
            Assert.Equal(0, code);
            var timedKey = output.Split('\n').Select(l => l.Split(' ')).Single(f => f.Length == 3 && f[0].Length == 32)[0];
            Assert.Equal(0, (await TrackerCli.RunAsync(directory, "keys", "add", "--key", GivenKey)).ExitCode);
            await File.WriteAllTextAsync(Path.Combine(directory, "hashes.txt"), $"# torrents of the private tracker\n\n{hex}\n");
            (code, output) = await TrackerCli.RunAsync(directory, "whitelist", "add", "--file", "hashes.txt");
            Assert.Equal(0, code);
            Assert.Contains("1 added, 0 already listed", output, StringComparison.Ordinal);

            (code, output) = await TrackerCli.RunAsync(directory, "keys", "list");
            Assert.Contains($"{GivenKey} - permanent", output, StringComparison.Ordinal);
            Assert.Contains(timedKey, output, StringComparison.Ordinal);

            await using (var tracker = await TrackerProcess.StartAsync(config, directory, ports))
            {
                using var http = new TrackerHttpClient($"http://127.0.0.1:{ports.Http}");
                Assert.Null(TrackerHttpClient.Failure(await http.AnnounceAsync($"/announce/{timedKey}", hash, TestPeers.NewPeerId(), 6301, left: 0)));
                Assert.Null(TrackerHttpClient.Failure(await http.AnnounceAsync($"/announce/{GivenKey}", hash, TestPeers.NewPeerId(), 6302, left: 0)));
                Assert.Equal(0, await tracker.StopAsync(TimeSpan.FromSeconds(30)));
            }

            Assert.Equal(0, (await TrackerCli.RunAsync(directory, "keys", "delete", GivenKey)).ExitCode);

            await using (var restarted = await TrackerProcess.StartAsync(config, directory, ports))
            {
                using var http = new TrackerHttpClient($"http://127.0.0.1:{ports.Http}");
                Assert.Null(TrackerHttpClient.Failure(await http.AnnounceAsync($"/announce/{timedKey}", hash, TestPeers.NewPeerId(), 6303, left: 0)));
                Assert.Equal("unknown authentication key",
                    TrackerHttpClient.Failure(await http.AnnounceAsync($"/announce/{GivenKey}", hash, TestPeers.NewPeerId(), 6304, left: 0)));
                Assert.Equal("torrent not whitelisted",
                    TrackerHttpClient.Failure(await http.AnnounceAsync($"/announce/{timedKey}", TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6305, left: 0)));
                Assert.Equal(0, await restarted.StopAsync(TimeSpan.FromSeconds(30)));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("keys", "add", "--seconds", "0")]
    [InlineData("keys", "add", "--key", "short")]
    [InlineData("keys", "add", "--minutes", "5")]
    [InlineData("keys")]
    [InlineData("whitelist", "add", "not-a-hash")]
    [InlineData("whitelist", "remove")]
    [InlineData("import", "torrust")]
    [InlineData("frobnicate")]
    public async Task a_bad_command_line_exits_2_with_the_usage_and_changes_nothing(params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-cli-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "config.toml"), $"db_path = \"{directory}/data.db\"\n");
            var (code, output) = await TrackerCli.RunAsync(directory, arguments);
            Assert.Equal(2, code);
            Assert.Contains("usage: orleans-tracker", output, StringComparison.Ordinal);
            (code, output) = await TrackerCli.RunAsync(directory, "keys", "list");
            Assert.Equal(0, code);
            Assert.DoesNotContain(" permanent", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
