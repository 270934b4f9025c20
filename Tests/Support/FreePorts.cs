using System.Net;
using System.Net.Sockets;

namespace OrleansTracker.Tests.Support;

/// <summary>Ports free for both TCP and UDP on every loopback family, for processes the tests start.</summary>
internal static class FreePorts
{
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            tcp.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            lock (Handed)
            {
                if (!Handed.Add(port))
                    continue;
            }
            try
            {
                using var udp = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
                udp.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for UDP: try another
            }
        }
        throw new InvalidOperationException("no free port found");
    }
}
