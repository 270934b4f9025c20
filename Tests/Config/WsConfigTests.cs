using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>The WebTorrent tracker's keys: [[ws_trackers]] blocks and the ws_* keys of [limits]; a bad value stops the start naming its key.</summary>
public sealed class WsConfigTests
{
    [Fact]
    public void the_websocket_tracker_is_off_by_default_also_in_a_block_without_enabled()
    {
        Assert.DoesNotContain(ConfigLoader.LoadFromText("", "config.toml").WsTrackers, w => w.Enabled);

        var config = ConfigLoader.LoadFromText("[[ws_trackers]]\nbind_address = \"127.0.0.1:8001\"\n", "config.toml");

        Assert.False(Assert.Single(config.WsTrackers).Enabled);
    }

    [Fact]
    public void two_enabled_blocks_of_both_families_are_read()
    {
        var config = ConfigLoader.LoadFromText(
            "[[ws_trackers]]\nenabled = true\nbind_address = \"127.0.0.1:8001\"\n[[ws_trackers]]\nenabled = true\nbind_address = \"[::1]:8002\"\n", "config.toml");

        Assert.Equal(["127.0.0.1:8001", "[::1]:8002"], config.WsTrackers.Select(w => ConfigValues.FormatEndPoint(w.BindAddress)));
    }

    [Theory]
    [InlineData("ws_max_connections = 0", "ws_max_connections", "0 is out of range")]
    [InlineData("ws_max_message_bytes = 100", "ws_max_message_bytes", "100 is out of range")]
    [InlineData("ws_max_offers_per_announce = 101", "ws_max_offers_per_announce", "101 is out of range")]
    [InlineData("ws_messages_per_second = \"fast\"", "ws_messages_per_second", "")]
    [InlineData("ws_max_torrents_per_connection = -1", "ws_max_torrents_per_connection", "-1 is out of range")]
    public void a_bad_limit_names_its_key(string line, string key, string fragment)
    {
        var error = RejectedConfig.Load("[limits]\n" + line + "\n");

        RejectedConfig.AssertNames(error, "limits." + key, 2, fragment);
    }

    [Fact]
    public void an_idle_timeout_not_above_the_announce_interval_is_rejected_when_a_websocket_listener_runs()
    {
        var error = RejectedConfig.Load("[[ws_trackers]]\nenabled = true\nbind_address = \"127.0.0.1:8001\"\n[limits]\nws_idle_timeout = 120\n");

        RejectedConfig.AssertNames(error, "limits.ws_idle_timeout", 5, "120 seconds is not more than announce_interval (120 seconds)");
    }

    [Fact]
    public void a_websocket_listener_on_the_http_tracker_port_is_rejected()
    {
        var error = RejectedConfig.Load("[[ws_trackers]]\nenabled = true\nbind_address = \"127.0.0.1:7070\"\n");

        RejectedConfig.AssertNames(error, "ws_trackers[0].bind_address", 3, "the WebSocket tracker needs a port of its own");
    }

    [Fact]
    public void wss_without_a_certificate_is_rejected()
    {
        var error = RejectedConfig.Load("[[ws_trackers]]\nenabled = true\nssl_enabled = true\n");

        Assert.StartsWith("config.toml: ws_trackers[0].ssl_cert_path: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_frontend_process_cannot_hold_websocket_peers()
    {
        var error = RejectedConfig.Load(
            "db_driver = \"mysql\"\ndb_path = \"mysql://u:p@127.0.0.1:3306/t\"\n[[ws_trackers]]\nenabled = true\n[cluster]\nmode = \"adonet\"\nrole = \"frontend\"\n");

        Assert.StartsWith("config.toml: ws_trackers: WebSocket listeners run in silos only", error.Message, StringComparison.Ordinal);
    }
}
