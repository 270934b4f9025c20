using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>The <c>[dashboard]</c> section: the Orleans dashboard web UI.</summary>
public sealed class DashboardConfig : IListening
{
    [ConfigKey("enabled", "Start the Orleans dashboard web UI: true or false.")]
    public bool Enabled { get; init; }

    [ConfigKey("bind_address", "Address and port of the dashboard; loopback by default.")]
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.Loopback, 8080);

    IEnumerable<Listener> IListening.Listeners => [new(SocketRole.Dashboard, "bind_address", Enabled, BindAddress)];
}
