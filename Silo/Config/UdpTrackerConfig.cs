using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>One <c>[[udp_trackers]]</c> block: a BEP 15 listener.</summary>
public sealed class UdpTrackerConfig
{
    /// <summary><c>enabled</c>: whether this listener starts.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// <c>bind_address</c>: the local address and port to bind. The default, <c>[::]:6969</c>, serves IPv4
    /// too on a dual-stack host.
    /// </summary>
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.IPv6Any, 6969);
}
