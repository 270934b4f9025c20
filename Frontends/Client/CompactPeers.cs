using System.Buffers.Binary;
using System.Net;

namespace OrleansTracker.Frontends.Client;

/// <summary>Reads compact peer lists (BEP 23: 6 bytes an IPv4 peer; BEP 7: 18 bytes an IPv6 peer).</summary>
public static class CompactPeers
{
    /// <param name="entryLength">6 or 18; a trailing partial entry is ignored.</param>
    public static IReadOnlyList<IPEndPoint> Read(ReadOnlySpan<byte> compact, int entryLength)
    {
        var peers = new List<IPEndPoint>(compact.Length / entryLength);
        var addressLength = entryLength - 2;
        for (var at = 0; at + entryLength <= compact.Length; at += entryLength)
        {
            var address = new IPAddress(compact.Slice(at, addressLength));
            peers.Add(new IPEndPoint(address, BinaryPrimitives.ReadUInt16BigEndian(compact[(at + addressLength)..])));
        }
        return peers;
    }
}
