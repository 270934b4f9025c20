using System.Collections.Immutable;
using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>The <c>[http_api]</c> section: the admin REST API.</summary>
public sealed class HttpApiConfig : IListening, IConfigRules
{
    /// <summary>Torrust's well-known default token: what a file without <c>[http_api.access_tokens]</c> gets, and
    /// the placeholder of the repository's config.toml. Refused unless the API is on loopback.</summary>
    public const string WellKnownToken = "MyAccessToken";

    /// <summary>Shorter tokens are refused unless the API is on loopback (a config.toml the tracker writes has 43).</summary>
    public const int MinExposedTokenLength = 16;

    [ConfigKey("enabled", "Start the API: true or false.")]
    public bool Enabled { get; init; } = true;

    /// <summary>Loopback by default, so the API is not exposed by accident; HTTPS on the same port when
    /// <see cref="SslEnabled"/>.</summary>
    [ConfigKey("bind_address", "Address and port; loopback by default so other hosts cannot reach the API.")]
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.Loopback, 1212);

    [ConfigKey("ssl_enabled", "Serve the API over HTTPS on bind_address: true or false. Needs ssl_cert_path and ssl_key_path.")]
    public bool SslEnabled { get; init; }

    [ConfigKey("ssl_cert_path", """
        PEM certificate (chain) file; required when ssl_enabled = true.
        """, Example = "/etc/orleans-tracker/cert.pem")]
    public string? SslCertPath { get; init; }

    [ConfigKey("ssl_key_path", """
        PEM private key file; required when ssl_enabled = true.
        """, Example = "/etc/orleans-tracker/key.pem")]
    public string? SslKeyPath { get; init; }

    [ConfigKey("allowed_hosts", """
        Host names the API answers to besides the address a client connected to (and localhost on
        loopback), e.g. ["admin.example.org"] behind a proxy; any other Host header gets 403 (DNS rebinding).
        """, Check = ValueCheck.HostNames)]
    public ImmutableArray<string> AllowedHosts { get; init; } = [];

    /// <summary>Token name → token (sent as <c>?token=</c> or a bearer token).</summary>
    [ConfigKey("access_tokens", """
        Tokens the API accepts (?token=... or "Authorization: Bearer ..."), one per line as
        name = "token". The tracker writes a new config.toml with a random admin token; "MyAccessToken"
        and tokens under 16 characters are refused unless bind_address is a loopback address.
        """)]
    public ImmutableSortedDictionary<string, string> AccessTokens { get; init; } =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add("admin", WellKnownToken);

    IEnumerable<Listener> IListening.Listeners => [new(SocketRole.AdminApi, "bind_address", Enabled, BindAddress)];

    void IConfigRules.Check(ConfigChecks checks)
    {
        if (Enabled && SslEnabled)
            CertificateRules.Check(checks, this, SslCertPath, SslKeyPath);
        if (!Enabled || IPAddress.IsLoopback(BindAddress.Address))
            return;
        // Reachable from other hosts: a guessable token would hand out keys and the whitelist to anyone.
        foreach (var (name, token) in AccessTokens)
        {
            var weakness = token == WellKnownToken ? $"\"{WellKnownToken}\" is the well-known default token"
                : token.Length < MinExposedTokenLength ? $"the token is shorter than {MinExposedTokenLength} characters"
                : null;
            if (weakness is null)
                continue;
            var problem = $"{weakness}, refused while http_api.bind_address ({ConfigValues.FormatEndPoint(BindAddress)}) is not a loopback address; "
                + $"set a random token of at least {MinExposedTokenLength} characters (e.g. from openssl rand -hex 24), or bind the API to 127.0.0.1";
            throw checks.WasRead(AccessTokens)
                ? checks.Error(AccessTokens, name, problem)
                : checks.Error(this, $"access_tokens.{name}", problem, "bind_address");
        }
    }
}
