using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>One <c>[[http_trackers]]</c> block: an HTTP announce/scrape listener, optionally with HTTPS.</summary>
public sealed class HttpTrackerConfig : IListening, IConfigRules
{
    [ConfigKey("enabled", "Start this listener: true or false.")]
    public bool Enabled { get; init; } = true;

    [ConfigKey("bind_address", "Address and port for plain HTTP, written as for UDP (but not port 0).")]
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.IPv6Any, 7070);

    [ConfigKey("ssl_enabled", "Also serve HTTPS on ssl_bind_address: true or false. Needs ssl_cert_path and ssl_key_path.")]
    public bool SslEnabled { get; init; }

    [ConfigKey("ssl_bind_address", "Address and port for HTTPS.")]
    public IPEndPoint SslBindAddress { get; init; } = new(IPAddress.IPv6Any, 7443);

    /// <summary>Set, and the file exists, when <see cref="Enabled"/> and <see cref="SslEnabled"/>.</summary>
    [ConfigKey("ssl_cert_path", """
        PEM certificate (chain) file for HTTPS; required when ssl_enabled = true.
        """, Example = "/etc/orleans-tracker/cert.pem")]
    public string? SslCertPath { get; init; }

    /// <summary>Set, and the file exists, when <see cref="Enabled"/> and <see cref="SslEnabled"/>.</summary>
    [ConfigKey("ssl_key_path", """
        PEM private key file for HTTPS; required when ssl_enabled = true.
        """, Example = "/etc/orleans-tracker/key.pem")]
    public string? SslKeyPath { get; init; }

    IEnumerable<Listener> IListening.Listeners =>
    [
        new(SocketRole.HttpTracker, "bind_address", Enabled, BindAddress),
        new(SocketRole.HttpsTracker, "ssl_bind_address", Enabled && SslEnabled, SslBindAddress),
    ];

    void IConfigRules.Check(ConfigChecks checks)
    {
        if (Enabled && SslEnabled)
            CertificateRules.Check(checks, this, SslCertPath, SslKeyPath);
    }
}
