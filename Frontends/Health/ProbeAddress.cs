using System.Globalization;
using System.Net;

namespace OrleansTracker.Frontends.Health;

/// <summary>Where the process reaches its own listener: a wildcard bind is probed on 127.0.0.1 (a [::]
/// socket is dual-stack, and a container may have no IPv6 loopback); any other address as it is.</summary>
internal static class ProbeAddress
{
    public static IPEndPoint Of(IPEndPoint bound) =>
        bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
            ? new IPEndPoint(IPAddress.Loopback, bound.Port)
            : bound;

    /// <summary>host:port as in a URL (IPv6 in brackets).</summary>
    public static string Text(IPEndPoint endPoint) =>
        endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{endPoint.Address}]:{endPoint.Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{endPoint.Address}:{endPoint.Port}");
}
