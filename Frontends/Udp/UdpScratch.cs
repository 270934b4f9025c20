using System.Net;
using System.Net.Sockets;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>The buffers one receive loop reuses for every datagram: nothing is allocated per packet.</summary>
internal sealed class UdpScratch
{
    /// <summary>Larger than any valid request (a 74-hash scrape is 1496 bytes); longer datagrams are truncated and rejected.</summary>
    public const int ReceiveBufferLength = 2048;

    public UdpScratch(AddressFamily family, int maxResponseLength)
    {
        Address = new SocketAddress(family);
        Response = new byte[Math.Max(maxResponseLength, 1024)];
    }

    public byte[] Receive { get; } = GC.AllocateUninitializedArray<byte>(ReceiveBufferLength);
    public byte[] Response { get; }
    public SocketAddress Address { get; }
    public InfoHash[] Hashes { get; } = new InfoHash[UdpRequestHandler.MaxScrapeHashes];
    public SwarmCounts[] Counts { get; } = new SwarmCounts[UdpRequestHandler.MaxScrapeHashes];

    /// <summary>The answer being computed while this scratch is in flight.</summary>
    public ValueTask<int> Pending { get; set; }

    /// <summary>Sends <see cref="Pending"/>'s answer and returns the scratch; made once per scratch.</summary>
    public Action? Completion { get; set; }
}
