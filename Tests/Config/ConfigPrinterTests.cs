using System.Collections.Immutable;
using System.Net;
using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

public sealed class ConfigPrinterTests
{
    private const string Custom = """
        log_level = "warn"
        mode = "private_listed"
        db_driver = "mysql"
        db_path = "mysql://tracker:s3cret@db.example:3306/tracker"
        persistence_interval = 30
        external_ip = "2001:db8::7"
        announce_interval = 1800
        announce_interval_min = 900
        peer_timeout = 3600
        max_numwant = 200
        default_numwant = 100

        [[udp_trackers]]
        bind_address = "0.0.0.0:6969"

        [[udp_trackers]]
        enabled = false
        bind_address = "[::]:6970"

        [[http_trackers]]
        bind_address = "0.0.0.0:80"
        ssl_enabled = true
        ssl_bind_address = "0.0.0.0:443"
        ssl_cert_path = "C:\\certs\\tracker \"main\".pem"
        ssl_key_path = "/etc/tracker/key.pem"

        [http_api.access_tokens]
        admin = "hunter2"
        "ops team" = "correct horse"

        [cluster]
        mode = "adonet"
        advertised_ip = "10.0.0.5"
        role = "frontend"

        [dashboard]
        enabled = true

        """;

    private static TrackerConfig LoadCustom() => ConfigLoader.LoadFromText(Custom, "custom.toml", _ => true);

    [Fact]
    public void access_tokens_are_masked()
    {
        var printed = ConfigPrinter.Render(LoadCustom());

        Assert.Contains("admin = \"***\"", printed, StringComparison.Ordinal);
        Assert.Contains("\"ops team\" = \"***\"", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("MyAccessToken", ConfigPrinter.Render(new TrackerConfig()), StringComparison.Ordinal);
    }

    [Fact]
    public void a_mysql_password_is_masked()
    {
        var printed = ConfigPrinter.Render(LoadCustom());

        Assert.Contains("db_path = \"mysql://tracker:***@db.example:3306/tracker\"", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void the_printed_config_loads_back_to_the_same_config()
    {
        var printed = ConfigPrinter.Render(LoadCustom());

        var reloaded = ConfigLoader.LoadFromText(printed, "printed.toml", _ => true);

        Assert.Equal(printed, ConfigPrinter.Render(reloaded));
        Assert.Equal(IPAddress.Parse("2001:db8::7"), reloaded.ExternalIp);
        Assert.Equal("C:\\certs\\tracker \"main\".pem", reloaded.HttpTrackers[0].SslCertPath);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 6970), reloaded.UdpTrackers[1].BindAddress);
        Assert.Equal(ClusterMode.AdoNet, reloaded.Cluster.Mode);
        Assert.Equal(ClusterRole.Frontend, reloaded.Cluster.Role);
    }

    [Fact]
    public void unset_options_are_printed_as_comments()
    {
        var printed = ConfigPrinter.Render(new TrackerConfig());

        Assert.Contains("# external_ip is unset\n", printed, StringComparison.Ordinal);
        Assert.Contains("# ssl_cert_path is unset\n", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void no_listeners_print_as_empty_arrays_and_load_back_as_none()
    {
        var config = new TrackerConfig { UdpTrackers = [], HttpTrackers = [] };

        var reloaded = ConfigLoader.LoadFromText(ConfigPrinter.Render(config), "printed.toml");

        Assert.Empty(reloaded.UdpTrackers);
        Assert.Empty(reloaded.HttpTrackers);
    }

    [Fact]
    public void durations_print_as_whole_seconds()
    {
        var printed = ConfigPrinter.Render(new TrackerConfig { PeerTimeout = TimeSpan.FromMinutes(30) });

        Assert.Contains("\npeer_timeout = 1800\n", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void access_tokens_given_in_the_file_replace_the_default_token()
    {
        var tokens = LoadCustom().HttpApi.AccessTokens;

        Assert.Equal(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["admin"] = "hunter2",
            ["ops team"] = "correct horse",
        }), tokens);
    }
}
