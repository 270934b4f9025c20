using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>The buffers one request in flight reuses for every datagram: nothing is allocated per packet.</summary>
internal sealed class UdpScratch
{
    /// <summary>Larger than any valid request (a 74-hash scrape is 1496 bytes); longer datagrams are truncated and rejected.</summary>
    public const int ReceiveBufferLength = 2048;

    /// <summary>sizeof(struct sockaddr_in6), the largest address a UDP socket reports.</summary>
    public const int NativeAddressCapacity = 28;

    public UdpScratch(AddressFamily family, int maxResponseLength)
    {
        Address = new SocketAddress(family);
        // Pinned (allocated once per scratch, on the pinned object heap) so that recvmmsg/sendmmsg
        // can be handed their addresses directly; the portable path does not mind.
        Receive = GC.AllocateUninitializedArray<byte>(ReceiveBufferLength, pinned: true);
        Response = GC.AllocateArray<byte>(Math.Max(maxResponseLength, 1024), pinned: true);
        NativeAddress = GC.AllocateArray<byte>(NativeAddressCapacity, pinned: true);
        ReceiveAddress = Marshal.UnsafeAddrOfPinnedArrayElement(Receive, 0);
        ResponseAddress = Marshal.UnsafeAddrOfPinnedArrayElement(Response, 0);
        NativeAddressAddress = Marshal.UnsafeAddrOfPinnedArrayElement(NativeAddress, 0);
    }

    public byte[] Receive { get; }
    public byte[] Response { get; }

    /// <summary>The sender's address on the portable path (Socket.ReceiveFrom/SendTo).</summary>
    public SocketAddress Address { get; }

    /// <summary>The sender's raw sockaddr on the batched Linux path, as recvmmsg wrote it.</summary>
    public byte[] NativeAddress { get; }

    /// <summary>How many bytes of <see cref="NativeAddress"/> recvmmsg filled.</summary>
    public int NativeAddressLength { get; set; }

    public nint ReceiveAddress { get; }
    public nint ResponseAddress { get; }
    public nint NativeAddressAddress { get; }

    public InfoHash[] Hashes { get; } = new InfoHash[UdpLayout.MaxScrapeHashes];
    public SwarmCounts[] Counts { get; } = new SwarmCounts[UdpLayout.MaxScrapeHashes];

    /// <summary>The response being computed while this scratch is in flight.</summary>
    public ValueTask<int> Pending { get; set; }

    /// <summary>Length of the response waiting in <see cref="Response"/> to be sent.</summary>
    public int ResponseLength { get; set; }

    /// <summary>Hands <see cref="Pending"/>'s response to the sender; made once per scratch.</summary>
    public Action? Completion { get; set; }
}
