using OrleansTracker.Frontends;
using OrleansTracker.Grains;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Hosting;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>
/// FrontendOptions and TorrentOptions live in projects that cannot see the key declarations, and tests build
/// them with <c>new()</c>. Their defaults must be what an empty config.toml gives, or a test silo would run
/// with settings no tracker has; this fails when a default changes on one side only.
/// </summary>
public sealed class OptionDefaultsTests
{
    [Fact]
    public void frontend_option_defaults_are_the_declared_key_defaults()
    {
        AssertSameProperties(new FrontendOptions(), FrontendSetup.From(new TrackerConfig()));
    }

    [Fact]
    public void torrent_option_defaults_are_the_declared_key_defaults()
    {
        AssertSameProperties(new TorrentOptions(), TorrentSetup.From(new TrackerConfig()));
    }

    private static void AssertSameProperties<T>(T defaults, T fromConfig)
    {
        foreach (var property in typeof(T).GetProperties())
            Assert.True(Equals(property.GetValue(defaults), property.GetValue(fromConfig)), $"{typeof(T).Name}.{property.Name}: {property.GetValue(defaults)} by default, {property.GetValue(fromConfig)} from an empty config.toml");
    }
}
