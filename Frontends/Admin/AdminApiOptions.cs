namespace OrleansTracker.Frontends.Admin;

/// <summary>What the admin API needs from config.toml's <c>[http_api]</c>.</summary>
public sealed class AdminApiOptions
{
    /// <summary>The token values of <c>[http_api.access_tokens]</c> (their names are for operators only).</summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary><c>allowed_hosts</c>: names (lower case) a Host header may carry besides the API's own address.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
}
