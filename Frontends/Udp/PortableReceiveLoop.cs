using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// One blocking ReceiveFrom per datagram on a dedicated thread: no epoll round trip and no
/// thread-pool hop per datagram. The path for platforms without recvmmsg, and the fallback when
/// the batched path cannot start.
/// </summary>
internal sealed class PortableReceiveLoop(Socket socket, UdpRequestDispatch dispatch, ILogger logger)
{
    public void Run(CancellationToken stopping)
    {
        var pool = dispatch.Pool;
        var spare = new UdpScratch(socket.AddressFamily, 0);
        while (!stopping.IsCancellationRequested)
        {
            // Overloaded (every scratch in flight): read into the spare buffer and drop the datagram.
            var rented = pool.TryRent(out var scratch);
            if (!rented)
                scratch = spare;
            int received;
            try
            {
                received = socket.ReceiveFrom(scratch.Receive, SocketFlags.None, scratch.Address);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (rented)
                    pool.Return(scratch);
                if (stopping.IsCancellationRequested)
                    return;
                logger.LogDebug("UDP receive error: {Error}", e.Message);
                continue;
            }
            if (!rented)
            {
                pool.RecordShed(1);
                continue;
            }
            if (!SocketAddressReader.TryRead(scratch.Address, out var source))
            {
                pool.Return(scratch);
                continue;
            }
            dispatch.Dispatch(scratch, received, source);
        }
    }
}
