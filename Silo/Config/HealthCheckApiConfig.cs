using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// The <c>[health_check_api]</c> section: a listener of its own for <c>GET /health_check</c> (Torrust's
/// health-check API), so probes need neither the admin API's token nor its port.
/// </summary>
public sealed class HealthCheckApiConfig : IListening
{
    [ConfigKey("enabled", """
        Start the health-check API: true or false. GET /health_check checks every UDP, HTTP(S) and
        WebSocket tracker listener and the database from inside the process (docs/operations.md).
        """)]
    public bool Enabled { get; init; } = true;

    [ConfigKey("bind_address", """
        Address and port; loopback by default. It tells nothing secret (listener addresses and what
        failed), so a pod may bind it to 0.0.0.0 for the kubelet's probes.
        """)]
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.Loopback, 1313);

    IEnumerable<Listener> IListening.Listeners => [new(SocketRole.HealthCheckApi, "bind_address", Enabled, BindAddress)];
}
