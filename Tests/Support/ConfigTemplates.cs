namespace OrleansTracker.Tests.Support;

/// <summary>
/// Pieces of config.toml templates that many end-to-end tests share; the placeholders
/// (<c>{udp}</c>, <c>{http}</c>, <c>{api}</c>, <c>{silo}</c>, <c>{gateway}</c>) are filled by
/// <see cref="TrackerProcess.Fill"/> with free loopback ports. Top-level keys go before these
/// tables and test-specific tables after them.
/// </summary>
public static class ConfigTemplates
{
    /// <summary>
    /// One UDP and one HTTP tracker, the admin API (with one token when given) and the silo's own
    /// ports, all on loopback; <paramref name="http"/> and <paramref name="api"/> false write those
    /// sections disabled.
    /// </summary>
    public static string LoopbackListeners(string? tokenName = null, string? token = null, bool http = true, bool api = true)
    {
        var tokens = tokenName is null ? "" : $"""

            [http_api.access_tokens]
            {tokenName} = "{token}"

            """;
        return $$"""

            [[udp_trackers]]
            enabled = true
            bind_address = "127.0.0.1:{udp}"

            [[http_trackers]]
            enabled = {{(http ? "true" : "false")}}
            bind_address = "127.0.0.1:{http}"

            [http_api]
            enabled = {{(api ? "true" : "false")}}
            bind_address = "127.0.0.1:{api}"

            """ + tokens + """

            [cluster]
            silo_port = {silo}
            gateway_port = {gateway}

            """;
    }
}
