using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// What the socket loops need from request handling; <see cref="UdpRequestHandler"/> is the BEP 15
/// one. An interface so the loops can be tested over real sockets with a handler whose timing the
/// test controls.
/// </summary>
internal interface IUdpRequestHandler
{
    /// <summary>Size of the largest response, for the response buffers.</summary>
    int MaxResponseLength { get; }

    /// <summary>Handles one datagram; returns the response's length in <paramref name="scratch"/>'s response buffer, 0 to drop.</summary>
    ValueTask<int> Handle(int packetLength, PeerEndpoint source, UdpScratch scratch);
}
