using System.Net;
using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>ORLEANSTRACKER__SECTION__KEY variables set config keys over the file, checked like the file's values.</summary>
public sealed class EnvironmentOverrideTests
{
    private static TrackerConfig Load(string toml, params (string Name, string Value)[] variables) =>
        ConfigLoader.LoadFromText(toml, "config.toml", _ => true,
            variables.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)));

    private static ConfigException LoadFails(string toml, params (string Name, string Value)[] variables) =>
        Assert.Throws<ConfigException>(() => Load(toml, variables));

    [Fact]
    public void a_variable_wins_over_the_file()
    {
        var config = Load("peer_timeout = 300\nmode = \"listed\"\n", ("ORLEANSTRACKER__PEER_TIMEOUT", "1200"), ("ORLEANSTRACKER__MODE", "private"));

        Assert.Equal(TimeSpan.FromSeconds(1200), config.PeerTimeout);
        Assert.Equal(TrackerMode.Private, config.Mode);
    }

    [Fact]
    public void nested_keys_and_tables_absent_from_the_file_are_set()
    {
        var config = Load("", ("ORLEANSTRACKER__HTTP_API__BIND_ADDRESS", "127.0.0.1:41212"), ("ORLEANSTRACKER__CLUSTER__SILO_PORT", "41111"),
            ("ORLEANSTRACKER__LIMITS__HTTP_HEADER_TIMEOUT", "5"), ("ORLEANSTRACKER__DASHBOARD__ENABLED", "TRUE"));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 41212), config.HttpApi.BindAddress);
        Assert.True(config.HttpApi.Enabled);
        Assert.Equal(41111, config.Cluster.SiloPort);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Limits.HttpHeaderTimeout);
        Assert.True(config.Dashboard.Enabled);
    }

    [Fact]
    public void an_access_token_is_replaced_or_added_by_name()
    {
        var config = Load("[http_api.access_tokens]\nadmin = \"MyAccessToken\"\nops = \"kept\"\n",
            ("ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN", "from-env"), ("ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__BACKUP", "second"));

        Assert.Equal("from-env", config.HttpApi.AccessTokens["admin"]);
        Assert.Equal("kept", config.HttpApi.AccessTokens["ops"]);
        Assert.Equal("second", config.HttpApi.AccessTokens["backup"]);
    }

    [Fact]
    public void a_token_set_without_the_table_in_the_file_replaces_the_default_token()
    {
        var config = Load("", ("ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN", "only-this"));

        Assert.Equal("only-this", Assert.Single(config.HttpApi.AccessTokens).Value);
    }

    [Fact]
    public void block_zero_changes_the_default_listener_and_the_next_number_adds_one()
    {
        var config = Load("", ("ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS", "127.0.0.1:41969"),
            ("ORLEANSTRACKER__UDP_TRACKERS__1__BIND_ADDRESS", "[::1]:41970"), ("ORLEANSTRACKER__UDP_TRACKERS__1__ENABLED", "false"));

        Assert.Equal(2, config.UdpTrackers.Length);
        Assert.True(config.UdpTrackers[0].Enabled);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 41969), config.UdpTrackers[0].BindAddress);
        Assert.False(config.UdpTrackers[1].Enabled);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 41970), config.UdpTrackers[1].BindAddress);
    }

    [Fact]
    public void blocks_are_added_in_numeric_order()
    {
        var variables = Enumerable.Range(0, 12).Select(i => ($"ORLEANSTRACKER__UDP_TRACKERS__{i}__BIND_ADDRESS", $"127.0.0.1:{41900 + i}")).ToArray();

        var config = Load("", variables);

        Assert.Equal(Enumerable.Range(41900, 12), config.UdpTrackers.Select(u => u.BindAddress.Port));
    }

    [Fact]
    public void a_block_of_the_file_keeps_its_other_keys()
    {
        var config = Load("[[http_trackers]]\nbind_address = \"0.0.0.0:80\"\nssl_bind_address = \"0.0.0.0:443\"\n",
            ("ORLEANSTRACKER__HTTP_TRACKERS__0__BIND_ADDRESS", "0.0.0.0:8080"));

        var http = Assert.Single(config.HttpTrackers);
        Assert.Equal(8080, http.BindAddress.Port);
        Assert.Equal(443, http.SslBindAddress.Port);
    }

    [Fact]
    public void an_empty_value_unsets_an_optional_key()
    {
        Assert.Null(Load("external_ip = \"203.0.113.7\"\n", ("ORLEANSTRACKER__EXTERNAL_IP", "")).ExternalIp);
    }

    [Theory]
    [InlineData("ORLEANSTRACKER__PEER_TIMEOUT", "soon", "expected an integer but found 'soon'")]
    [InlineData("ORLEANSTRACKER__PERSISTENCE", "yes", "expected a boolean (true or false) but found 'yes'")]
    [InlineData("ORLEANSTRACKER__MAX_NUMWANT", "500", "500 is out of range; allowed: 1 to 200")]
    [InlineData("ORLEANSTRACKER__MODE", "open", "'open' is not one of")]
    [InlineData("ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS", "nowhere", "'nowhere' is not an address:port")]
    [InlineData("ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN", " ", "the token must not be empty")]
    [InlineData("ORLEANSTRACKER__PEER_TIMOUT", "5", "unknown key; did you mean 'peer_timeout'?")]
    [InlineData("ORLEANSTRACKER__CLUSTER__COLOUR", "red", "unknown key in [cluster]")]
    [InlineData("ORLEANSTRACKER__UDP_TRACKERS__2__ENABLED", "true", "'2' is not a block number; blocks are numbered from 0 and the file has 0, so use 0 to 0")]
    [InlineData("ORLEANSTRACKER__UDP_TRACKERS__FIRST__ENABLED", "true", "'first' is not a block number")]
    [InlineData("ORLEANSTRACKER__HTTP_API", "on", "expected a table ([http_api])")]
    public void a_bad_value_is_an_error_naming_the_variable(string variable, string value, string problem)
    {
        var error = LoadFails("", (variable, value));

        Assert.StartsWith($"environment variable {variable}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_rule_between_keys_names_the_variable_that_broke_it()
    {
        var error = LoadFails("max_numwant = 74\n", ("ORLEANSTRACKER__DEFAULT_NUMWANT", "100"));

        Assert.Contains("environment variable ORLEANSTRACKER__DEFAULT_NUMWANT: default_numwant: 100 is more than max_numwant (74)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ORLEANSTRACKER__")]
    [InlineData("ORLEANSTRACKER__HTTP_API____BIND_ADDRESS")]
    [InlineData("ORLEANSTRACKER__HTTP-API__BIND_ADDRESS")]
    public void a_malformed_variable_name_is_an_error(string variable)
    {
        var error = LoadFails("", (variable, "x"));

        Assert.Contains($"environment variable {variable}: not a key path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void other_variables_are_ignored()
    {
        var config = Load("", ("ORLEANSTRACKER_CONFIG", "/etc/x.toml"), ("orleanstracker__mode", "private"), ("PATH", "/bin"));

        Assert.Equal(ConfigPrinter.Render(new TrackerConfig()), ConfigPrinter.Render(config));
    }

    /// <summary>Every documented variable name is accepted: each set to its documented default changes nothing.</summary>
    [Fact]
    public void every_key_of_the_reference_is_reachable_by_its_variable()
    {
        var variables = ConfigLoader.Schema().Values
            .Where(o => o.Type is not ("table" or "array of tables") && !o.Path.EndsWith(".*", StringComparison.Ordinal))
            .Select(o => (EnvironmentOverrides.VariableFor(o.Path).Replace("__N__", "__0__", StringComparison.Ordinal),
                o.Default == "unset" ? "" : o.Default.Trim('"')))
            .ToArray();
        Assert.True(variables.Length >= 40, $"only {variables.Length} keys in the schema");

        var config = Load("", variables);

        Assert.Equal(ConfigPrinter.Render(new TrackerConfig()), ConfigPrinter.Render(config));
    }

    [Fact]
    public void every_non_text_key_rejects_a_wrong_value_naming_its_variable()
    {
        foreach (var option in ConfigLoader.Schema().Values.Where(o => o.Type is "boolean" || o.Type.StartsWith("integer", StringComparison.Ordinal) || o.Type.StartsWith("seconds", StringComparison.Ordinal)))
        {
            var variable = EnvironmentOverrides.VariableFor(option.Path).Replace("__N__", "__0__", StringComparison.Ordinal);
            var error = LoadFails("", (variable, "not-a-value"));
            Assert.StartsWith($"environment variable {variable}: ", error.Message, StringComparison.Ordinal);
        }
    }
}
