using System.Collections.Immutable;
using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>The <c>[http_api]</c> section: the admin REST API.</summary>
public sealed class HttpApiConfig
{
    /// <summary>Torrust's well-known default token; operators are expected to change it.</summary>
    public static readonly ImmutableSortedDictionary<string, string> DefaultAccessTokens =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add("admin", "MyAccessToken");

    /// <summary><c>enabled</c>: whether the API starts.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>bind_address</c>: address and port (loopback by default, so the API is not exposed by
    /// accident); HTTPS on the same port when <see cref="SslEnabled"/>.</summary>
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.Loopback, 1212);

    /// <summary><c>ssl_enabled</c>: serve the API over HTTPS.</summary>
    public bool SslEnabled { get; init; }

    /// <summary><c>ssl_cert_path</c>: PEM certificate chain.</summary>
    public string? SslCertPath { get; init; }

    /// <summary><c>ssl_key_path</c>: PEM private key.</summary>
    public string? SslKeyPath { get; init; }

    /// <summary><c>allowed_hosts</c>: host names (lower case, no port) the API answers to besides the address a
    /// client connected to and, on loopback, <c>localhost</c>; a browser page behind any other name is refused
    /// (DNS rebinding).</summary>
    public ImmutableArray<string> AllowedHosts { get; init; } = [];

    /// <summary><c>[http_api.access_tokens]</c>: token name → token value (sent as <c>?token=</c>).</summary>
    public ImmutableSortedDictionary<string, string> AccessTokens { get; init; } = DefaultAccessTokens;
}
