using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// Reads a datagram's source straight out of the native sockaddr bytes, so a packet costs no
/// IPEndPoint allocation. An IPv4 client on a dual-stack [::] socket shows up as ::ffff:a.b.c.d
/// and is folded back to IPv4 by <see cref="PeerEndpoint.FromAddressBytes"/>.
/// </summary>
internal static class SocketAddressReader
{
    // sockaddr_in / sockaddr_in6: family (2 bytes), port (2, big-endian), then the address
    // (IPv4 at 4; IPv6 at 8, after the 4-byte flow info).
    private const int PortOffset = 2;
    private const int IPv4Offset = 4;
    private const int IPv6Offset = 8;

    public static bool TryRead(SocketAddress address, out PeerEndpoint source)
    {
        var bytes = address.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[PortOffset..]);
        switch (address.Family)
        {
            case AddressFamily.InterNetwork when address.Size >= IPv4Offset + 4:
                source = PeerEndpoint.FromAddressBytes(bytes.Slice(IPv4Offset, 4), port);
                return true;
            case AddressFamily.InterNetworkV6 when address.Size >= IPv6Offset + 16:
                source = PeerEndpoint.FromAddressBytes(bytes.Slice(IPv6Offset, 16), port);
                return true;
            default:
                source = default;
                return false;
        }
    }

    /// <summary>
    /// Reads a raw Linux sockaddr as recvmmsg wrote it (<paramref name="length"/> bytes): the family
    /// is in host byte order, AF_INET = 2 and AF_INET6 = 10.
    /// </summary>
    public static bool TryReadLinux(ReadOnlySpan<byte> sockaddr, int length, out PeerEndpoint source)
    {
        if (length >= IPv4Offset && length <= sockaddr.Length)
        {
            var bytes = sockaddr[..length];
            var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[PortOffset..]);
            switch (MemoryMarshal.Read<ushort>(bytes))
            {
                case Batched.LinuxDatagramCalls.AfInet when length >= IPv4Offset + 4:
                    source = PeerEndpoint.FromAddressBytes(bytes.Slice(IPv4Offset, 4), port);
                    return true;
                case Batched.LinuxDatagramCalls.AfInet6 when length >= IPv6Offset + 16:
                    source = PeerEndpoint.FromAddressBytes(bytes.Slice(IPv6Offset, 16), port);
                    return true;
            }
        }
        source = default;
        return false;
    }
}
