using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// One <c>[[ws_trackers]]</c> block: a WebTorrent (WebSocket) tracker listener, optionally with
/// wss:// (TLS) on its own address. The default file has one block, disabled, to show the keys.
/// </summary>
public sealed class WsTrackerConfig : IListening, IConfigRules
{
    /// <summary>False unless set: the WebTorrent tracker is off by default, also in a block that omits the key.</summary>
    [ConfigKey("enabled", "Start this listener: true or false (false unless set: the WebTorrent tracker is off by default).")]
    public bool Enabled { get; init; }

    [ConfigKey("bind_address", """
        Address and port for ws:// (not port 0). Clients connect to ws://host:port/ or /announce, and
        to /announce/{key} in the private modes.
        """)]
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.IPv6Any, 8000);

    [ConfigKey("ssl_enabled", "Also serve wss:// on ssl_bind_address: true or false. Needs ssl_cert_path and ssl_key_path.")]
    public bool SslEnabled { get; init; }

    [ConfigKey("ssl_bind_address", "Address and port for wss://.")]
    public IPEndPoint SslBindAddress { get; init; } = new(IPAddress.IPv6Any, 8443);

    /// <summary>Set, and the file exists, when <see cref="Enabled"/> and <see cref="SslEnabled"/>.</summary>
    [ConfigKey("ssl_cert_path", """
        PEM certificate (chain) file for wss://; required when ssl_enabled = true.
        """, Example = "/etc/orleans-tracker/cert.pem")]
    public string? SslCertPath { get; init; }

    /// <summary>Set, and the file exists, when <see cref="Enabled"/> and <see cref="SslEnabled"/>.</summary>
    [ConfigKey("ssl_key_path", """
        PEM private key file for wss://; required when ssl_enabled = true.
        """, Example = "/etc/orleans-tracker/key.pem")]
    public string? SslKeyPath { get; init; }

    IEnumerable<Listener> IListening.Listeners =>
    [
        new(SocketRole.WsTracker, "bind_address", Enabled, BindAddress),
        new(SocketRole.WssTracker, "ssl_bind_address", Enabled && SslEnabled, SslBindAddress),
    ];

    void IConfigRules.Check(ConfigChecks checks)
    {
        if (Enabled && SslEnabled)
            CertificateRules.Check(checks, this, SslCertPath, SslKeyPath);
    }
}
