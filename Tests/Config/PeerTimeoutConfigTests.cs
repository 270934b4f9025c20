using OrleansTracker.Grains.Swarm;
using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>peer_timeout values the swarms cannot use, or that drop peers between their own announces,
/// stop the start instead of failing every announce later.</summary>
public sealed class PeerTimeoutConfigTests
{
    [Fact]
    public void a_peer_timeout_above_seven_days_is_rejected()
    {
        var error = RejectedConfig.Load("peer_timeout = 604801\n");

        RejectedConfig.AssertNames(error, "peer_timeout", 1, "604801 is out of range; allowed: 1 to 604800");
    }

    /// <summary>The reader's bound is the swarm's: a longer timeout would pass the reader and then throw in
    /// every swarm's constructor.</summary>
    [Fact]
    public void the_longest_accepted_peer_timeout_is_the_longest_a_swarm_accepts()
    {
        var config = ConfigLoader.LoadFromText("peer_timeout = 604800\n", "config.toml");

        Assert.Equal(SwarmOptions.MaxPeerTimeout, config.PeerTimeout);
        new SwarmOptions(config.PeerTimeout, config.DefaultNumwant, config.MaxNumwant).Validate();
    }

    [Fact]
    public void a_peer_timeout_below_the_announce_interval_is_rejected_naming_both_keys()
    {
        var error = RejectedConfig.Load("announce_interval = 1800\npeer_timeout = 900\n");

        RejectedConfig.AssertNames(error, "peer_timeout", 2, "900 seconds is less than announce_interval (1800 seconds): peers would be dropped between their own announces");
    }

    [Fact]
    public void an_announce_interval_above_the_default_peer_timeout_points_at_the_interval_line()
    {
        var error = RejectedConfig.Load("mode = \"public\"\nannounce_interval = 1800\n");

        RejectedConfig.AssertNames(error, "peer_timeout", 2, "900 seconds is less than announce_interval (1800 seconds)");
    }

    [Fact]
    public void a_peer_timeout_equal_to_the_announce_interval_is_accepted()
    {
        var config = ConfigLoader.LoadFromText("announce_interval = 900\npeer_timeout = 900\n", "config.toml");

        Assert.Equal(config.AnnounceInterval, config.PeerTimeout);
    }

    [Fact]
    public void an_interval_set_by_a_variable_is_named_in_the_error()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromText("", "config.toml",
            environment: [new("ORLEANSTRACKER__ANNOUNCE_INTERVAL", "1800")]));

        Assert.StartsWith("environment variable ORLEANSTRACKER__ANNOUNCE_INTERVAL: peer_timeout: 900 seconds is less than announce_interval", error.Message, StringComparison.Ordinal);
    }
}
