using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

public static partial class HttpResponseWriter
{
    // d 2:ip <len>:<text> 7:peer id 20:<id> 4:port i65535e e
    private const int PeerFixedLength = 1 + 4 + 3 + 9 + 3 + PeerId.Length + 6 + 7 + 1;

    public static int MaxAnnounceNonCompactLength(int peers4Count, int peers6Count) =>
        HeadLength + 7 + 1
        + (peers4Count * (PeerFixedLength + IPText.MaxIPv4Length))
        + (peers6Count * (PeerFixedLength + IPText.MaxIPv6Length))
        + 1 + 1;

    /// <summary>
    /// The original (BEP 3) announce response for clients that send <c>compact=0</c>: <c>peers</c> is a
    /// list of dicts with <c>ip</c> (text; IPv6 without brackets), <c>peer id</c> (20 raw bytes) and
    /// <c>port</c>. IPv4 and IPv6 peers share the one list, IPv4 first. <paramref name="peerIds"/>
    /// holds 20 bytes per peer in that order; ids are left out when it is empty or when the client
    /// sent <c>no_peer_id</c>.
    /// </summary>
    public static int WriteAnnounceNonCompact(Span<byte> destination, int interval, int minInterval, int complete, int incomplete,
        long downloaded, ReadOnlySpan<byte> peers4, ReadOnlySpan<byte> peers6, ReadOnlySpan<byte> peerIds, bool noPeerId)
    {
        var count4 = peers4.Length / PeerEndpoint.CompactIPv4Length;
        var count6 = peers6.Length / PeerEndpoint.CompactIPv6Length;
        if (!peerIds.IsEmpty && peerIds.Length != (count4 + count6) * PeerId.Length)
            throw new ArgumentException("peer ids must hold 20 bytes per peer, or nothing", nameof(peerIds));
        var withIds = !noPeerId && !peerIds.IsEmpty;

        var b = new BencodeBuffer(destination);
        WriteHead(ref b, interval, minInterval, complete, incomplete, downloaded);
        b.Raw("5:peersl"u8);
        Span<byte> text = stackalloc byte[IPText.MaxIPv6Length];
        for (var i = 0; i < count4 + count6; i++)
        {
            var v4 = i < count4;
            var compact = v4
                ? peers4.Slice(i * PeerEndpoint.CompactIPv4Length, PeerEndpoint.CompactIPv4Length)
                : peers6.Slice((i - count4) * PeerEndpoint.CompactIPv6Length, PeerEndpoint.CompactIPv6Length);
            var addressLength = compact.Length - 2;
            var textLength = v4
                ? IPText.FormatIPv4(compact[..addressLength], text)
                : IPText.FormatIPv6(compact[..addressLength], text);
            b.Raw("d2:ip"u8);
            b.String(text[..textLength]);
            if (withIds)
            {
                b.Raw("7:peer id"u8);
                b.String(peerIds.Slice(i * PeerId.Length, PeerId.Length));
            }
            b.Raw("4:port"u8);
            b.Integer((compact[addressLength] << 8) | compact[addressLength + 1]);
            b.Raw((byte)'e');
        }
        b.Raw("ee"u8);
        return b.Length;
    }
}
