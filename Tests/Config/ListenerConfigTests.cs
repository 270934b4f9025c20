using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>
/// A TCP port serves one role (HTTP tracker, HTTPS tracker, admin API, dashboard) whatever the addresses,
/// and never port 0: HTTP requests are told apart by the port they arrive on. The error is on the key the
/// file sets and names the other.
/// </summary>
public sealed class ListenerConfigTests
{
    private const string Https = "ssl_enabled = true\nssl_cert_path = \"cert.pem\"\nssl_key_path = \"key.pem\"\n";

    private static TrackerConfig Load(string toml) => ConfigLoader.LoadFromText(toml, "config.toml", _ => true);

    [Fact]
    public void an_http_tracker_on_the_admin_api_port_of_another_address_is_rejected()
    {
        var error = RejectedConfig.Load("[[http_trackers]]\nbind_address = \"203.0.113.5:1212\"\n");

        RejectedConfig.AssertNames(error, "http_trackers[0].bind_address", 2,
            "port 1212 is already used by http_api.bind_address (127.0.0.1:1212, the admin API); the HTTP tracker needs a port of its own");
    }

    [Fact]
    public void the_admin_api_on_the_port_of_the_default_http_tracker_is_rejected()
    {
        var error = RejectedConfig.Load("[http_api]\nbind_address = \"127.0.0.1:7070\"\n");

        RejectedConfig.AssertNames(error, "http_api.bind_address", 2, "port 7070 is already used by http_trackers (default block) ([::]:7070, the HTTP tracker)");
    }

    [Fact]
    public void the_dashboard_on_the_https_port_is_rejected()
    {
        var error = Assert.Throws<ConfigException>(() => Load("[[http_trackers]]\n" + Https + "\n[dashboard]\nenabled = true\nbind_address = \"127.0.0.1:7443\"\n"));

        RejectedConfig.AssertNames(error, "dashboard.bind_address", 8, "port 7443 is already used by http_trackers[0].ssl_bind_address ([::]:7443, the HTTPS tracker)");
    }

    [Fact]
    public void plain_and_tls_tracker_ports_are_two_roles()
    {
        var error = Assert.Throws<ConfigException>(() => Load("[[http_trackers]]\nbind_address = \"0.0.0.0:8443\"\n" + Https + "ssl_bind_address = \"[::]:8443\"\n"));

        RejectedConfig.AssertNames(error, "http_trackers[0].ssl_bind_address", 6, "port 8443 is already used by http_trackers[0].bind_address");
    }

    [Fact]
    public void two_http_trackers_may_share_a_port_on_different_addresses()
    {
        var config = Load("[[http_trackers]]\nbind_address = \"0.0.0.0:7070\"\n\n[[http_trackers]]\nbind_address = \"[::1]:7070\"\n");

        Assert.Equal(2, config.HttpTrackers.Length);
    }

    [Fact]
    public void blocks_of_one_array_split_by_another_table_are_refused_rather_than_one_of_them_dropped()
    {
        // Valid TOML, but the TOML library's model keeps only the last run of blocks: the first
        // listener would be gone without a word.
        var error = RejectedConfig.Load(
            "[[http_trackers]]\nbind_address = \"127.0.0.1:17071\"\n\n[http_api]\nbind_address = \"127.0.0.1:17072\"\n\n"
            + "[[udp_trackers]]\nbind_address = \"127.0.0.1:16969\"\n\n[[http_trackers]]\nbind_address = \"127.0.0.1:17073\"\n");

        RejectedConfig.AssertNames(error, "http_trackers", 10, "write all [[http_trackers]] blocks one after another");
    }

    [Fact]
    public void blocks_of_several_arrays_each_written_together_are_all_kept()
    {
        var config = Load(
            "[[udp_trackers]]\nbind_address = \"127.0.0.1:16969\"\n[[udp_trackers]]\nbind_address = \"[::1]:16969\"\n\n"
            + "[http_api]\nbind_address = \"127.0.0.1:17072\"\n\n"
            + "[[http_trackers]]\nbind_address = \"127.0.0.1:17071\"\n[[http_trackers]]\nbind_address = \"[::1]:17071\"\n");

        Assert.Equal(2, config.UdpTrackers.Length);
        Assert.Equal(2, config.HttpTrackers.Length);
    }

    [Fact]
    public void udp_and_tcp_listeners_may_share_a_port_number()
    {
        var config = Load("[[udp_trackers]]\nbind_address = \"[::]:7070\"\n\n[http_api]\nbind_address = \"127.0.0.1:6969\"\n");

        Assert.Equal(7070, Assert.Single(config.UdpTrackers).BindAddress.Port);
    }

    [Fact]
    public void a_disabled_listener_may_use_any_port()
    {
        var config = Load("[dashboard]\nenabled = false\nbind_address = \"127.0.0.1:1212\"\n");

        Assert.False(config.Dashboard.Enabled);
    }

    [Theory]
    [InlineData("[[http_trackers]]\nbind_address = \"127.0.0.1:0\"\n", "http_trackers[0].bind_address", 2, "HTTP tracker")]
    [InlineData("[[http_trackers]]\n" + Https + "ssl_bind_address = \"[::]:0\"\n", "http_trackers[0].ssl_bind_address", 5, "HTTPS tracker")]
    [InlineData("[http_api]\nbind_address = \"127.0.0.1:0\"\n", "http_api.bind_address", 2, "admin API")]
    [InlineData("[dashboard]\nenabled = true\nbind_address = \"127.0.0.1:0\"\n", "dashboard.bind_address", 3, "dashboard")]
    public void port_zero_for_a_tcp_listener_is_rejected(string toml, string key, int line, string role)
    {
        var error = Assert.Throws<ConfigException>(() => Load(toml));

        RejectedConfig.AssertNames(error, key, line, $"port 0 (any free port) cannot be used by the {role}");
    }

    /// <summary>bench/*.sh turn the default HTTP tracker off this way.</summary>
    [Fact]
    public void port_zero_for_a_disabled_http_tracker_is_accepted()
    {
        var config = Load("[[http_trackers]]\nenabled = false\nbind_address = \"127.0.0.1:0\"\n");

        Assert.False(Assert.Single(config.HttpTrackers).Enabled);
    }

    [Fact]
    public void a_clash_made_by_a_variable_names_the_variable()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromText("", "config.toml",
            environment: [new("ORLEANSTRACKER__DASHBOARD__ENABLED", "true"), new("ORLEANSTRACKER__DASHBOARD__BIND_ADDRESS", "127.0.0.1:1212")]));

        Assert.StartsWith("environment variable ORLEANSTRACKER__DASHBOARD__BIND_ADDRESS: dashboard.bind_address: 127.0.0.1:1212 is already used by http_api.bind_address", error.Message, StringComparison.Ordinal);
    }
}
