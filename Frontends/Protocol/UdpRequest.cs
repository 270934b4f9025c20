using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// A parsed BEP 15 request. Connect fills the header fields only; announce fills the announce
/// fields; scrape fills <see cref="HashCount"/> and leaves the hashes in the packet, read on demand
/// with <see cref="ScrapeHash"/>, so parsing never copies or allocates.
/// </summary>
public readonly record struct UdpRequest
{
    public UdpAction Action { get; init; }
    /// <summary>The connection id (for connect: the protocol id magic).</summary>
    public long ConnectionId { get; init; }
    public int TransactionId { get; init; }

    public InfoHash InfoHash { get; init; }
    public PeerId PeerId { get; init; }
    public long Downloaded { get; init; }
    public long Left { get; init; }
    public long Uploaded { get; init; }
    public AnnounceEvent Event { get; init; }
    /// <summary>The announced IPv4 address as a big-endian word; 0 means "use the packet source".</summary>
    public uint IPv4Address { get; init; }
    public uint Key { get; init; }
    /// <summary>Peers wanted; -1 (or any negative value) means the tracker's default.</summary>
    public int NumWant { get; init; }
    public ushort Port { get; init; }

    /// <summary>Number of info hashes in a scrape request (1..<see cref="UdpLayout.MaxScrapeHashes"/>).</summary>
    public int HashCount { get; init; }

    /// <summary>
    /// The <paramref name="index"/>-th info hash of a scrape request, read from the same packet
    /// that was parsed (BEP 15: hashes start at offset 16, 20 bytes each, in request order).
    /// </summary>
    public InfoHash ScrapeHash(ReadOnlySpan<byte> packet, int index)
    {
        // An index past the count is a caller bug, not a packet property: fail loudly.
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, HashCount);
        return InfoHash.Read(packet.Slice(UdpLayout.ScrapeHashesOffset + (index * InfoHash.Length), InfoHash.Length));
    }
}
