using System.Net.Sockets;

namespace OrleansTracker.Tests.Support;

/// <summary>One datagram or nothing within a time limit: the tests' way to see that no answer came.</summary>
internal static class DatagramReceive
{
    /// <summary>The next datagram on <paramref name="socket"/> (a copy of it), or null if none arrives within <paramref name="wait"/>.</summary>
    public static async Task<byte[]?> OrNullAsync(Socket socket, byte[] buffer, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer[..received];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
