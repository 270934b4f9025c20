using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>An admin API that other hosts can reach needs a token nobody can guess: not Torrust's well-known
/// default and not shorter than 16 characters. On loopback every existing config keeps working.</summary>
public sealed class AdminTokenConfigTests
{
    private static string WellKnownAt(string bindAddress) =>
        $"\"MyAccessToken\" is the well-known default token, refused while http_api.bind_address ({bindAddress}) is not a loopback address";

    [Fact]
    public void the_well_known_token_on_a_public_address_is_rejected_naming_the_token_key()
    {
        var error = RejectedConfig.Load("[http_api]\nbind_address = \"0.0.0.0:1212\"\n\n[http_api.access_tokens]\nadmin = \"MyAccessToken\"\n");

        RejectedConfig.AssertNames(error, "http_api.access_tokens.admin", 5, WellKnownAt("0.0.0.0:1212"));
    }

    [Fact]
    public void without_a_token_table_the_default_token_is_refused_at_the_bind_address_line()
    {
        var error = RejectedConfig.Load("mode = \"public\"\n[http_api]\nbind_address = \"[::]:1212\"\n");

        RejectedConfig.AssertNames(error, "http_api.access_tokens.admin", 3, WellKnownAt("[::]:1212"));
    }

    [Fact]
    public void a_short_token_on_a_public_address_is_rejected_without_showing_it()
    {
        var error = RejectedConfig.Load("[http_api]\nbind_address = \"203.0.113.5:1212\"\n\n[http_api.access_tokens]\nadmin = \"0123456789abcdef0123\"\nops = \"fifteen-chars-x\"\n");

        RejectedConfig.AssertNames(error, "http_api.access_tokens.ops", 6, "the token is shorter than 16 characters");
        Assert.DoesNotContain("fifteen-chars-x", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:1212")]
    [InlineData("127.0.0.2:1212")]
    [InlineData("[::1]:1212")]
    public void on_loopback_the_well_known_and_short_tokens_keep_working(string bindAddress)
    {
        var config = ConfigLoader.LoadFromText($"[http_api]\nbind_address = \"{bindAddress}\"\n\n[http_api.access_tokens]\nadmin = \"MyAccessToken\"\nops = \"short\"\n", "config.toml");

        Assert.Equal(2, config.HttpApi.AccessTokens.Count);
    }

    [Fact]
    public void a_disabled_api_may_keep_the_well_known_token()
    {
        var config = ConfigLoader.LoadFromText("[http_api]\nenabled = false\nbind_address = \"0.0.0.0:1212\"\n", "config.toml");

        Assert.False(config.HttpApi.Enabled);
    }

    [Fact]
    public void a_sixteen_character_token_is_accepted_on_a_public_address()
    {
        var config = ConfigLoader.LoadFromText("[http_api]\nbind_address = \"0.0.0.0:1212\"\n\n[http_api.access_tokens]\nadmin = \"0123456789abcdef\"\n", "config.toml");

        Assert.Equal("0123456789abcdef", config.HttpApi.AccessTokens["admin"]);
    }

    [Fact]
    public void a_public_address_set_by_a_variable_names_the_variable()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromText("", "config.toml",
            environment: [new("ORLEANSTRACKER__HTTP_API__BIND_ADDRESS", "0.0.0.0:1212")]));

        Assert.StartsWith("environment variable ORLEANSTRACKER__HTTP_API__BIND_ADDRESS: http_api.access_tokens.admin: \"MyAccessToken\" is the well-known default token", error.Message, StringComparison.Ordinal);
    }
}
