using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>Loading a config that must fail, and the checks every such failure shares: the key, its line,
/// the file named first.</summary>
internal static class RejectedConfig
{
    public static ConfigException Load(string toml, Func<string, bool>? fileExists = null) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromText(toml, "config.toml", fileExists));

    public static void AssertNames(ConfigException error, string key, int? line, string fragment)
    {
        Assert.Equal(key, error.Key);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"config.toml: {key}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }
}
