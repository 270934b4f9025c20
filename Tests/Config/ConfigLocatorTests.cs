using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

public sealed class ConfigLocatorTests : IDisposable
{
    private static readonly string CurrentDirectory = Path.Combine(Path.GetTempPath(), "tracker-cwd");
    private readonly string _tempDirectory = Directory.CreateTempSubdirectory("orleans-tracker-config-").FullName;

    public void Dispose() => Directory.Delete(_tempDirectory, recursive: true);

    private static Func<string, string?> Environment(string? configVariable) =>
        name => name == ConfigLocator.EnvironmentVariable ? configVariable : null;

    [Fact]
    public void without_option_or_variable_the_file_is_config_toml_in_the_current_directory()
    {
        var path = ConfigLocator.Resolve([], Environment(null), CurrentDirectory);

        Assert.Equal(Path.Combine(CurrentDirectory, "config.toml"), path);
    }

    [Fact]
    public void the_config_option_with_a_separate_value_names_the_file()
    {
        var path = ConfigLocator.Resolve(["--silo", "--config", "/etc/tracker.toml"], Environment("/env.toml"), CurrentDirectory);

        Assert.Equal("/etc/tracker.toml", path);
    }

    [Fact]
    public void the_config_option_with_an_equals_sign_names_the_file()
    {
        var path = ConfigLocator.Resolve(["--config=/etc/tracker.toml"], Environment(null), CurrentDirectory);

        Assert.Equal("/etc/tracker.toml", path);
    }

    [Fact]
    public void a_relative_config_option_is_taken_from_the_current_directory()
    {
        var path = ConfigLocator.Resolve(["--config", "conf/t.toml"], Environment(null), CurrentDirectory);

        Assert.Equal(Path.Combine(CurrentDirectory, "conf", "t.toml"), path);
    }

    [Fact]
    public void the_environment_variable_names_the_file_when_there_is_no_option()
    {
        var path = ConfigLocator.Resolve(["--other"], Environment("/srv/tracker.toml"), CurrentDirectory);

        Assert.Equal("/srv/tracker.toml", path);
    }

    [Fact]
    public void an_empty_environment_variable_is_ignored()
    {
        var path = ConfigLocator.Resolve([], Environment(""), CurrentDirectory);

        Assert.Equal(Path.Combine(CurrentDirectory, "config.toml"), path);
    }

    [Theory]
    [InlineData("--config")]
    [InlineData("--config=")]
    public void a_config_option_without_a_path_is_an_error(string option)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLocator.Resolve([option], Environment(null), CurrentDirectory));

        Assert.StartsWith("--config", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureExists_writes_the_default_text_with_a_random_admin_token_once_and_then_leaves_the_file_alone()
    {
        var path = Path.Combine(_tempDirectory, "config.toml");

        Assert.True(ConfigLocator.EnsureExists(path));
        var written = File.ReadAllText(path);
        Assert.Equal(DefaultConfig.WithAdminToken(DefaultConfigTests.AdminTokenIn(written)), written);

        File.WriteAllText(path, "mode = \"listed\"\n");
        Assert.False(ConfigLocator.EnsureExists(path));
        Assert.Equal("mode = \"listed\"\n", File.ReadAllText(path));
    }

    [Fact]
    public void a_written_default_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
            return; // no Unix file modes there
        var path = Path.Combine(_tempDirectory, "config.toml");

        ConfigLocator.EnsureExists(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void two_written_default_files_have_different_admin_tokens()
    {
        var first = Path.Combine(_tempDirectory, "first.toml");
        var second = Path.Combine(_tempDirectory, "second.toml");

        ConfigLocator.EnsureExists(first);
        ConfigLocator.EnsureExists(second);

        Assert.NotEqual(DefaultConfigTests.AdminTokenIn(File.ReadAllText(first)), DefaultConfigTests.AdminTokenIn(File.ReadAllText(second)));
    }

    [Fact]
    public void a_default_file_that_cannot_be_written_is_a_configuration_error_naming_the_path()
    {
        var path = Path.Combine(_tempDirectory, "missing-folder", "config.toml");

        var error = Assert.Throws<ConfigException>(() => ConfigLocator.EnsureExists(path));

        Assert.StartsWith(path + ": the file does not exist and the default configuration cannot be written there", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_created_file_loads_to_the_defaults()
    {
        var path = Path.Combine(_tempDirectory, "config.toml");
        ConfigLocator.EnsureExists(path);

        var config = ConfigLoader.LoadFile(path);

        Assert.Equal(ConfigPrinter.Render(new TrackerConfig()), ConfigPrinter.Render(config)); // tokens are masked
        Assert.NotEqual(HttpApiConfig.WellKnownToken, config.HttpApi.AccessTokens["admin"]);
    }

    [Fact]
    public void loading_a_missing_file_names_the_file()
    {
        var path = Path.Combine(_tempDirectory, "absent.toml");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(path));

        Assert.StartsWith($"{path}: cannot read the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void errors_from_a_file_are_prefixed_with_its_path()
    {
        var path = Path.Combine(_tempDirectory, "bad.toml");
        File.WriteAllText(path, "mode = \"open\"\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(path));

        Assert.StartsWith($"{path}: mode: ", error.Message, StringComparison.Ordinal);
    }
}
