using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

public sealed class DefaultConfigTests
{
    [Fact]
    public void an_empty_file_gives_the_documented_defaults()
    {
        var config = ConfigLoader.LoadFromText("", "config.toml");

        Assert.Equal(LogLevel.Information, config.LogLevel);
        Assert.Equal(TrackerMode.Public, config.Mode);
        Assert.Equal(DbDriver.Sqlite3, config.DbDriver);
        Assert.Equal("data.db", config.DbPath);
        Assert.True(config.Persistence);
        Assert.Equal(TimeSpan.FromSeconds(60), config.PersistenceInterval);
        Assert.Equal(TimeSpan.FromSeconds(600), config.CleanupInterval);
        Assert.True(config.CleanupPeerless);
        Assert.Null(config.ExternalIp);
        Assert.Equal(TimeSpan.FromSeconds(120), config.AnnounceInterval);
        Assert.Equal(TimeSpan.FromSeconds(120), config.AnnounceIntervalMin);
        Assert.Equal(TimeSpan.FromSeconds(900), config.PeerTimeout);
        Assert.False(config.OnReverseProxy);
        Assert.Equal(50, config.DefaultNumwant);
        Assert.Equal(74, config.MaxNumwant);
        Assert.Equal(74, config.MaxScrapeHashes);

        var udp = Assert.Single(config.UdpTrackers);
        Assert.True(udp.Enabled);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 6969), udp.BindAddress);

        var http = Assert.Single(config.HttpTrackers);
        Assert.True(http.Enabled);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 7070), http.BindAddress);
        Assert.False(http.SslEnabled);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 7443), http.SslBindAddress);
        Assert.Null(http.SslCertPath);
        Assert.Null(http.SslKeyPath);

        Assert.True(config.HttpApi.Enabled);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 1212), config.HttpApi.BindAddress);
        Assert.False(config.HttpApi.SslEnabled);
        Assert.Equal("MyAccessToken", Assert.Single(config.HttpApi.AccessTokens, t => t.Key == "admin").Value);

        Assert.Equal("orleans-tracker", config.Cluster.ClusterId);
        Assert.Equal("orleans-tracker", config.Cluster.ServiceId);
        Assert.Equal(11111, config.Cluster.SiloPort);
        Assert.Equal(30000, config.Cluster.GatewayPort);
        Assert.Null(config.Cluster.AdvertisedIp);
        Assert.Equal(ClusterMode.Localhost, config.Cluster.Mode);
        Assert.Null(config.Cluster.PrimarySilo);

        Assert.False(config.Dashboard.Enabled);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), config.Dashboard.BindAddress);
    }

    [Fact]
    public void an_empty_file_equals_a_default_constructed_config()
    {
        Assert.Equal(ConfigPrinter.Render(new TrackerConfig()), ConfigPrinter.Render(ConfigLoader.LoadFromText("", "config.toml")));
    }

    [Fact]
    public void the_generated_default_text_loads_to_the_defaults()
    {
        var fromText = ConfigLoader.LoadFromText(DefaultConfig.Text, "config.toml");

        Assert.Equal(ConfigPrinter.Render(new TrackerConfig()), ConfigPrinter.Render(fromText));
    }

    [Fact]
    public void the_committed_config_toml_is_byte_identical_to_the_generated_default_text()
    {
        var committed = File.ReadAllBytes(System.IO.Path.Combine(RepositoryRoot.Path, "config.toml"));

        Assert.True(new UTF8Encoding(false).GetBytes(DefaultConfig.Text).SequenceEqual(committed),
            "config.toml differs from the declared keys; regenerate it: dotnet run --project Silo -c Release -- --print-default-config > config.toml");
    }

    /// <summary>The token line of a written file: <c>admin = "..."</c> under [http_api.access_tokens].</summary>
    internal static string AdminTokenIn(string configText) =>
        Regex.Match(configText, "\\[http_api\\.access_tokens\\]\n(?:#.*\n)*admin = \"(?<token>[^\"]*)\"\n").Groups["token"].Value;

    [Fact]
    public void the_committed_config_toml_holds_the_well_known_token_that_only_loopback_accepts()
    {
        Assert.Equal(HttpApiConfig.WellKnownToken, AdminTokenIn(DefaultConfig.Text));
        Assert.Equal("127.0.0.1:1212", ConfigValues.FormatEndPoint(ConfigLoader.LoadFromText(DefaultConfig.Text, "config.toml").HttpApi.BindAddress));
    }

    [Fact]
    public void a_written_default_file_differs_from_the_committed_one_only_by_a_random_admin_token()
    {
        var written = DefaultConfig.WithNewAdminToken().Split('\n');
        var committed = DefaultConfig.Text.Split('\n');

        Assert.Equal(committed.Length, written.Length);
        var differing = Assert.Single(Enumerable.Range(0, committed.Length), i => committed[i] != written[i]);
        Assert.Equal($"admin = \"{HttpApiConfig.WellKnownToken}\"", committed[differing]);
        var token = AdminTokenIn(string.Join('\n', written));
        Assert.Equal($"admin = \"{token}\"", written[differing]);
        // 32 bytes of a CSPRNG in URL-safe base64: usable in ?token= as it is.
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
    }

    [Fact]
    public void each_written_default_file_gets_its_own_token()
    {
        var tokens = Enumerable.Range(0, 20).Select(_ => AdminTokenIn(DefaultConfig.WithNewAdminToken())).ToHashSet();

        Assert.Equal(20, tokens.Count);
    }

    [Fact]
    public void the_committed_config_toml_loads_to_the_defaults()
    {
        var config = ConfigLoader.LoadFile(System.IO.Path.Combine(RepositoryRoot.Path, "config.toml"));

        Assert.Equal(ConfigPrinter.Render(new TrackerConfig()), ConfigPrinter.Render(config));
    }

    [Fact]
    public void the_default_text_has_a_comment_above_every_option()
    {
        var lines = DefaultConfig.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var isOption = lines[i].Contains(" = ", StringComparison.Ordinal) && !lines[i].StartsWith('#');
            if (isOption && !lines[i - 1].StartsWith('#') && !lines[i - 1].StartsWith('['))
                Assert.Fail($"line {i + 1} '{lines[i]}' has no comment above it");
        }
    }

    [Fact]
    public void the_default_sqlite_path_becomes_a_data_source_connection_string()
    {
        Assert.Equal("Data Source=data.db", new TrackerConfig().GetDbConnectionString());
    }

    [Fact]
    public void a_file_with_only_mode_takes_the_defaults_for_everything_else()
    {
        var config = ConfigLoader.LoadFromText("mode = \"listed\"\n", "config.toml");

        Assert.Equal(TrackerMode.Listed, config.Mode);
        var expected = ConfigPrinter.Render(new TrackerConfig { Mode = TrackerMode.Listed });
        Assert.Equal(expected, ConfigPrinter.Render(config));
    }
}
