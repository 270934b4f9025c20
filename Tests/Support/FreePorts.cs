using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrleansTracker.Tests.Support;

/// <summary>
/// Ports free for both TCP and UDP on every loopback family, for processes the tests start. They
/// come from below the kernel's ephemeral range: a port found free by binding to port 0 is an
/// ephemeral one, and between its release and the tracker's bind any outgoing connection of the
/// machine (the tests' own HTTP clients, MariaDB, Orleans) could be given it as its local port,
/// which made a tracker's start fail now and then under load. Below the range only explicit binds
/// compete; each test process starts at a random place so that parallel runs rarely meet.
/// </summary>
internal static class FreePorts
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> Handed = [];
    private static readonly (int First, int Last) Range = BelowEphemeral();
    private static int _next = Range.First + Random.Shared.Next(Range.Last - Range.First + 1);

    public static int Next()
    {
        var size = Range.Last - Range.First + 1;
        for (var attempt = 0; attempt < size; attempt++)
        {
            int port;
            lock (Handed)
            {
                port = _next;
                _next = _next == Range.Last ? Range.First : _next + 1;
                if (!Handed.Add(port))
                    continue;
            }
            if (Bindable(port))
                return port;
        }
        throw new InvalidOperationException($"no free port in {Range.First}-{Range.Last}");
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            tcp.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            using var udp = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
            udp.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;   // in use for TCP or UDP: try the next
        }
    }

    /// <summary>From 10000 to just below net.ipv4.ip_local_port_range (Linux default 32768); 10000–32767 if unreadable.</summary>
    private static (int First, int Last) BelowEphemeral()
    {
        var ephemeralStart = 32_768;
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(text[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // not Linux, or hidden: keep the default
        }
        if (ephemeralStart - 1 < Lowest + 1000)
            throw new InvalidOperationException($"the ephemeral port range starts at {ephemeralStart}: no room below it for test ports");
        return (Lowest, ephemeralStart - 1);
    }
}
