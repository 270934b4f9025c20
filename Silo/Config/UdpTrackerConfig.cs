using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>One <c>[[udp_trackers]]</c> block: a BEP 15 listener.</summary>
public sealed class UdpTrackerConfig : IListening
{
    [ConfigKey("enabled", "Start this listener: true or false.")]
    public bool Enabled { get; init; } = true;

    [ConfigKey("bind_address", """
        Address and port to listen on: "0.0.0.0:6969" for IPv4 only, "[::]:6969" for IPv6 and, on a
        dual-stack host, IPv4 too. Port 0 picks a free port.
        """)]
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.IPv6Any, 6969);

    IEnumerable<Listener> IListening.Listeners => [new(SocketRole.UdpTracker, "bind_address", Enabled, BindAddress)];
}
