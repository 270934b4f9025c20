using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Frontends.Udp;

/// <summary>One SendTo per response, on the thread that finished it: the path for platforms without sendmmsg.</summary>
internal sealed class PortableResponseSender(Socket socket, UdpScratchPool pool, ILogger logger) : IUdpResponseSender
{
    public void Send(UdpScratch scratch, int length)
    {
        try
        {
            if (length > 0)
                socket.SendTo(scratch.Response.AsSpan(0, length), SocketFlags.None, scratch.Address);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A full send buffer or an ICMP error from an earlier send: one lost response.
            logger.LogDebug("UDP send error: {Error}", e.Message);
        }
        finally
        {
            pool.Return(scratch);
        }
    }
}
