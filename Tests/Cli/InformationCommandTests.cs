using OrleansTracker.Silo.Cli;
using OrleansTracker.Silo.Config;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Cli;

/// <summary>--help, --version and --print-config of the real executable: they print, exit 0 and write nothing.</summary>
public sealed class InformationCommandTests
{
    private static async Task<(int ExitCode, string StandardOutput, string Output, string Directory)> RunAsync(
        IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-info-").FullName;
        await using var process = TrackerProcess.StartRaw(directory, TrackerPorts.Allocate(), null, environment, arguments);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, process.StandardOutput, process.Output, directory);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("keys", "--help")]
    [InlineData("client", "announce", "--help")]
    public async Task help_lists_every_option_and_command_and_exits_zero(params string[] arguments)
    {
        var (exitCode, output, _, directory) = await RunAsync(new Dictionary<string, string>(), arguments);
        try
        {
            Assert.Equal(0, exitCode);
            foreach (var expected in new[] { "--config PATH", "--print-config", "--print-config-docs", "--print-default-config", "--version", "-h, --help",
                         "run ", "keys add", "keys delete", "keys list", "whitelist add", "whitelist remove", "whitelist list",
                         "import torrust", "client announce", "client scrape", "check URL", "--key KEY", "--timeout SECONDS", "--insecure",
                         "ORLEANSTRACKER_CONFIG", "ORLEANSTRACKER__", "exit codes" })
            {
                Assert.Contains(expected, output, StringComparison.Ordinal);
            }
            Assert.Empty(Directory.GetFiles(directory)); // no config.toml written for a question
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task version_prints_the_product_version()
    {
        var (exitCode, output, _, directory) = await RunAsync(new Dictionary<string, string>(), "--version");
        Directory.Delete(directory, recursive: true);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^orleans-tracker \d+\.\d+\.\d+\S*\n$", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task print_config_shows_file_defaults_and_variables_with_secrets_masked_and_writes_nothing()
    {
        var environment = new Dictionary<string, string>
        {
            ["ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN"] = "EnvironmentToken123",
            ["ORLEANSTRACKER__DB_DRIVER"] = "mysql",
            ["ORLEANSTRACKER__DB_PATH"] = "mysql://tracker:DbPassw0rd@127.0.0.1:3306/tracker",
            ["ORLEANSTRACKER__PEER_TIMEOUT"] = "1234",
            ["ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS"] = "127.0.0.1:41969",
        };
        var (exitCode, output, all, directory) = await RunAsync(environment, "--print-config");
        try
        {
            Assert.Equal(0, exitCode);
            Assert.Contains("peer_timeout = 1234", output, StringComparison.Ordinal);
            Assert.Contains("bind_address = \"127.0.0.1:41969\"", output, StringComparison.Ordinal);
            Assert.Contains("admin = \"***\"", output, StringComparison.Ordinal);
            Assert.Contains("mysql://tracker:***@127.0.0.1:3306/tracker", output, StringComparison.Ordinal);
            Assert.DoesNotContain("EnvironmentToken123", all, StringComparison.Ordinal);
            Assert.DoesNotContain("DbPassw0rd", all, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(directory));
            // What it prints is a configuration: it loads back to the same effective values.
            var reloaded = ConfigLoader.LoadFromText(output, "printed.toml", _ => true);
            Assert.Equal(TimeSpan.FromSeconds(1234), reloaded.PeerTimeout);
            Assert.Equal(DbDriver.MySql, reloaded.DbDriver);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task print_config_reads_the_file_named_by_config()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-info-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "tracker.toml"), "mode = \"listed\"\n");
            await using var process = TrackerProcess.StartRaw(directory, TrackerPorts.Allocate(), null, new Dictionary<string, string>(),
                "--config", "tracker.toml", "--print-config");

            Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("mode = \"listed\"", process.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task a_bad_variable_stops_with_exit_code_2_naming_it()
    {
        var (exitCode, _, all, directory) = await RunAsync(new Dictionary<string, string> { ["ORLEANSTRACKER__PEER_TIMEOUT"] = "soon" }, "--print-config");
        Directory.Delete(directory, recursive: true);

        Assert.Equal(2, exitCode);
        Assert.Contains("Configuration error: environment variable ORLEANSTRACKER__PEER_TIMEOUT: peer_timeout: expected an integer but found 'soon'", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("--print-config", "extra")]
    public async Task an_unknown_option_is_a_usage_error(params string[] arguments)
    {
        var (exitCode, _, all, directory) = await RunAsync(new Dictionary<string, string>(), arguments);
        Directory.Delete(directory, recursive: true);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: orleans-tracker", all, StringComparison.Ordinal);
    }

    [Fact]
    public void print_config_docs_is_the_reference_page()
    {
        using var output = new StringWriter();
        Assert.Equal(0, InformationCommands.Run(new CommandLine(CommandLine.PrintConfigDocs, []), "unused.toml", [], output, TextWriter.Null));
        Assert.Equal(ConfigDocs.Render(), output.ToString());
    }

    [Fact]
    public void print_default_config_is_the_repository_config_toml()
    {
        using var output = new StringWriter();
        Assert.Equal(0, InformationCommands.Run(new CommandLine(CommandLine.PrintDefaultConfig, []), "unused.toml", [], output, TextWriter.Null));
        Assert.Equal(DefaultConfig.Text, output.ToString());
    }
}
