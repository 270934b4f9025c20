using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>One <c>[[http_trackers]]</c> block: an HTTP announce/scrape listener, optionally with HTTPS.</summary>
public sealed class HttpTrackerConfig
{
    /// <summary><c>enabled</c>: whether this listener starts.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>bind_address</c>: the plain HTTP address and port.</summary>
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.IPv6Any, 7070);

    /// <summary><c>ssl_enabled</c>: whether HTTPS is also served on <see cref="SslBindAddress"/>.</summary>
    public bool SslEnabled { get; init; }

    /// <summary><c>ssl_bind_address</c>: the HTTPS address and port.</summary>
    public IPEndPoint SslBindAddress { get; init; } = new(IPAddress.IPv6Any, 7443);

    /// <summary><c>ssl_cert_path</c>: PEM certificate chain; set (and existing) when <see cref="SslEnabled"/>.</summary>
    public string? SslCertPath { get; init; }

    /// <summary><c>ssl_key_path</c>: PEM private key; set (and existing) when <see cref="SslEnabled"/>.</summary>
    public string? SslKeyPath { get; init; }
}
