using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>Every rejected config names the key (and its line) so an operator can fix it.</summary>
public sealed class BadConfigTests
{
    private static ConfigException Rejected(string toml, Func<string, bool>? fileExists = null) => RejectedConfig.Load(toml, fileExists);

    private static void AssertNames(ConfigException error, string key, int? line, string fragment) =>
        RejectedConfig.AssertNames(error, key, line, fragment);

    [Fact]
    public void a_string_where_a_boolean_belongs_is_a_wrong_type()
    {
        var error = Rejected("persistence = \"yes\"\n");

        AssertNames(error, "persistence", 1, "expected a boolean (true or false) but found a string (\"yes\")");
    }

    [Fact]
    public void a_float_where_seconds_belong_is_a_wrong_type()
    {
        var error = Rejected("\nannounce_interval = 120.5\n");

        AssertNames(error, "announce_interval", 2, "expected an integer but found a float (120.5)");
    }

    [Fact]
    public void an_unknown_top_level_key_is_rejected_with_a_suggestion()
    {
        var error = Rejected("log_lvl = \"info\"\n");

        AssertNames(error, "log_lvl", 1, "unknown key; did you mean 'log_level'?");
    }

    [Fact]
    public void an_unknown_table_is_rejected()
    {
        var error = Rejected("[http_apii]\nenabled = true\n");

        AssertNames(error, "http_apii", 1, "unknown key");
    }

    [Fact]
    public void an_unknown_key_inside_a_udp_tracker_block_is_rejected()
    {
        var error = Rejected("[[udp_trackers]]\nbind_address = \"0.0.0.0:6969\"\n\n[[udp_trackers]]\nbind_adress = \"0.0.0.0:6970\"\n");

        AssertNames(error, "udp_trackers[1].bind_adress", 5, "unknown key in [udp_trackers[1]]; did you mean 'bind_address'?");
    }

    [Fact]
    public void an_unknown_key_in_a_sub_table_is_rejected()
    {
        var error = Rejected("[cluster]\nsilo_prot = 1\n");

        AssertNames(error, "cluster.silo_prot", 2, "did you mean 'silo_port'?");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0.0.0.0")]
    [InlineData("::6969")]
    [InlineData("0.0.0.0:65536")]
    [InlineData("0.0.0.0:-1")]
    [InlineData("1.2.3:6969")]
    [InlineData("010.0.0.1:6969")]
    [InlineData("[::1]6969")]
    [InlineData("localhost:6969")]
    public void a_bind_address_that_is_not_an_ip_and_port_is_rejected(string address)
    {
        var error = Rejected($"[[udp_trackers]]\nenabled = true\nbind_address = \"{address}\"\n");

        AssertNames(error, "udp_trackers[0].bind_address", 3, $"'{address}' is not an address:port such as 0.0.0.0:6969 or [::]:6969");
    }

    [Theory]
    [InlineData("0.0.0.0:6969")]
    [InlineData("[::]:6969")]
    [InlineData("[::1]:0")]
    [InlineData("192.168.1.20:65535")]
    public void ipv4_and_bracketed_ipv6_bind_addresses_are_accepted(string address)
    {
        var config = ConfigLoader.LoadFromText($"[[udp_trackers]]\nbind_address = \"{address}\"\n", "config.toml");

        Assert.Equal(System.Net.IPEndPoint.Parse(address), Assert.Single(config.UdpTrackers).BindAddress);
    }

    [Theory]
    [InlineData("not-an-ip", "is not an IP address")]
    [InlineData("1.2.3", "is not an IP address")]
    [InlineData("0.0.0.0", "is not a usable address")]
    public void a_bad_external_ip_is_rejected(string ip, string fragment)
    {
        var error = Rejected($"external_ip = \"{ip}\"\n");

        AssertNames(error, "external_ip", 1, $"'{ip}' {fragment}");
    }

    [Fact]
    public void an_unknown_mode_is_rejected_with_the_allowed_values()
    {
        var error = Rejected("mode = \"open\"\n");

        AssertNames(error, "mode", 1, "'open' is not one of \"public\", \"listed\", \"private\", \"private_listed\"");
    }

    [Fact]
    public void an_unknown_log_level_is_rejected()
    {
        var error = Rejected("log_level = \"verbose\"\n");

        AssertNames(error, "log_level", 1, "'verbose' is not one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", \"critical\", \"off\"");
    }

    [Fact]
    public void an_unknown_db_driver_is_rejected()
    {
        var error = Rejected("db_driver = \"postgres\"\n");

        AssertNames(error, "db_driver", 1, "'postgres' is not one of \"sqlite3\", \"mysql\"");
    }

    [Fact]
    public void ssl_enabled_with_a_missing_certificate_file_names_the_cert_key()
    {
        const string Toml = """
            [[http_trackers]]
            ssl_enabled = true
            ssl_cert_path = "/etc/tracker/cert.pem"
            ssl_key_path = "/etc/tracker/key.pem"

            """;

        var error = Rejected(Toml, path => path == "/etc/tracker/key.pem");

        AssertNames(error, "http_trackers[0].ssl_cert_path", 3, "the PEM certificate file '/etc/tracker/cert.pem' does not exist");
    }

    [Fact]
    public void ssl_enabled_without_a_key_path_names_the_key_path()
    {
        var error = Rejected("[http_api]\nssl_enabled = true\nssl_cert_path = \"cert.pem\"\n", _ => true);

        AssertNames(error, "http_api.ssl_key_path", 2, "is required when ssl_enabled = true");
    }

    [Fact]
    public void certificate_files_of_a_disabled_listener_are_not_checked()
    {
        var config = ConfigLoader.LoadFromText("[[http_trackers]]\nenabled = false\nssl_enabled = true\n", "config.toml", _ => false);

        Assert.True(Assert.Single(config.HttpTrackers).SslEnabled);
    }

    [Fact]
    public void a_min_interval_above_the_interval_is_rejected()
    {
        var error = Rejected("announce_interval = 60\nannounce_interval_min = 120\n");

        AssertNames(error, "announce_interval_min", 2, "120 seconds is more than announce_interval (60 seconds)");
    }

    [Fact]
    public void a_silo_peer_cap_below_one_full_swarm_is_rejected()
    {
        var error = Rejected("[limits]\nmax_peers_per_swarm = 1000\nmax_peers_per_silo = 999\n");

        AssertNames(error, "limits.max_peers_per_silo", 3, "999 is less than max_peers_per_swarm (1000)");
    }

    [Theory]
    [InlineData("max_numwant = 0\n", "max_numwant", "0 is out of range; allowed: 1 to 200")]
    [InlineData("max_numwant = 201\n", "max_numwant", "201 is out of range; allowed: 1 to 200")]
    [InlineData("default_numwant = -5\n", "default_numwant", "-5 is out of range; allowed: 1 to 200")]
    [InlineData("default_numwant = 80\n", "default_numwant", "80 is more than max_numwant (74)")]
    [InlineData("max_scrape_hashes = 301\n", "max_scrape_hashes", "301 is out of range; allowed: 1 to 300")]
    [InlineData("peer_timeout = 0\n", "peer_timeout", "0 is out of range")]
    [InlineData("cleanup_interval = 9999999999\n", "cleanup_interval", "9999999999 is out of range")]
    public void an_out_of_range_number_is_rejected(string toml, string key, string fragment)
    {
        AssertNames(Rejected(toml), key, 1, fragment);
    }

    [Fact]
    public void a_syntax_error_reports_its_line_and_column()
    {
        var error = Rejected("mode = \"public\"\npersistence = \n");

        Assert.Null(error.Key);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("config.toml: TOML syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("(line 2, column 15)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_key_written_twice_is_a_syntax_error()
    {
        var error = Rejected("mode = \"public\"\nmode = \"listed\"\n");

        Assert.Equal(2, error.Line);
        Assert.Contains("`mode`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void two_enabled_udp_trackers_on_one_address_are_rejected()
    {
        const string Toml = """
            [[udp_trackers]]
            bind_address = "0.0.0.0:6969"

            [[udp_trackers]]
            bind_address = "0.0.0.0:6969"

            """;

        var error = Rejected(Toml);

        AssertNames(error, "udp_trackers[1].bind_address", 5, "0.0.0.0:6969 is already used by udp_trackers[0].bind_address");
    }

    [Fact]
    public void a_disabled_listener_may_share_an_address()
    {
        const string Toml = """
            [[udp_trackers]]
            bind_address = "0.0.0.0:6969"

            [[udp_trackers]]
            enabled = false
            bind_address = "0.0.0.0:6969"

            """;

        Assert.Equal(2, ConfigLoader.LoadFromText(Toml, "config.toml").UdpTrackers.Length);
    }

    [Fact]
    public void the_api_on_the_http_trackers_address_is_rejected()
    {
        var error = Rejected("[http_api]\nbind_address = \"[::]:7070\"\n");

        AssertNames(error, "http_api.bind_address", 2, "[::]:7070 is already used by http_trackers (default block)");
    }

    [Fact]
    public void a_table_where_a_value_belongs_is_a_wrong_type()
    {
        var error = Rejected("[log_level]\n");

        AssertNames(error, "log_level", 1, "found a table");
    }

    [Fact]
    public void an_empty_access_token_is_rejected()
    {
        var error = Rejected("[http_api.access_tokens]\nadmin = \"\"\n");

        AssertNames(error, "http_api.access_tokens.admin", 2, "the token must not be empty");
    }

    [Theory]
    [InlineData("mysql://user:pass@db.example:3306/tracker")]
    [InlineData("mysql://root@localhost/tracker")]
    [InlineData("Server=db;Database=tracker;User ID=u;Password=p")]
    public void mysql_urls_and_connection_strings_are_accepted(string dbPath)
    {
        var config = ConfigLoader.LoadFromText($"db_driver = \"mysql\"\ndb_path = \"{dbPath}\"\n", "config.toml");

        Assert.Contains("Database=tracker", config.GetDbConnectionString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("mysql://user:pass@host:3306/", "names no database")]
    [InlineData("tracker.db", "is neither a URL")]
    [InlineData("Server=db;Colour=blue", "is not a valid MySQL connection string")]
    public void a_mysql_db_path_that_does_not_parse_is_rejected(string dbPath, string fragment)
    {
        var error = Rejected($"db_driver = \"mysql\"\ndb_path = \"{dbPath}\"\n");

        AssertNames(error, "db_path", 2, fragment);
    }

    [Fact]
    public void a_mysql_url_with_the_sqlite_driver_is_rejected()
    {
        var error = Rejected("db_path = \"mysql://u:p@h/db\"\n");

        AssertNames(error, "db_path", 1, "set db_driver = \"mysql\"");
    }
}
