using System.Buffers;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// Choosing the answer's peers. Each family is walked from a random start offset, consecutively
/// with wrap-around, skipping the announcer (its own entries, both addresses of a dual-stack peer,
/// and any entry at its address:port) and expired peers: O(numwant)
/// work in the usual case, no shuffle, and every peer equally likely to open the run.
/// When both families are wanted, numwant is split in proportion to the families' sizes (rounded);
/// whatever one family cannot fill is taken from the other.
/// </summary>
public sealed partial class Swarm
{
    private const int StackPicks = 128;

    private AnnounceResult Respond(in AnnounceRequest request, int self, long now)
    {
        var want = request.NumWant < 0 ? _options.DefaultNumWant : request.NumWant;
        want = Math.Min(want, _options.MaxNumWant);
        var count4 = (request.Families & PeerFamilies.IPv4) != 0 ? _peers4.Count : 0;
        var count6 = (request.Families & PeerFamilies.IPv6) != 0 ? _peers6?.Count ?? 0 : 0;
        if (want <= 0 || count4 + count6 == 0)
            return CountsOnly();

        int[]? rented = null;
        Span<int> buffer = want <= StackPicks
            ? stackalloc int[StackPicks * 2]
            : rented = ArrayPool<int>.Shared.Rent(want * 2);
        try
        {
            var picks4 = buffer[..want];
            var picks6 = buffer.Slice(want, want);
            var cutoff = ExpiryCutoff(now);
            var partner = self >= 0 && (StateOf(self).Flags & PeerFlags.Paired) != 0 ? PartnerOf(self) : -1;
            var walk4 = new PeerWalk<IPv4Address>(_peers4, count4, Start(count4), SelfIn(IPv4Address.Family, self, partner), request.Endpoint, cutoff);
            var walk6 = count6 == 0 ? default : new PeerWalk<IPv6Address>(_peers6!, count6, Start(count6), SelfIn(IPv6Address.Family, self, partner), request.Endpoint, cutoff);

            var quota4 = (int)(((long)want * count4 + (count4 + count6) / 2) / (count4 + count6));
            var taken4 = walk4.Take(quota4, picks4);
            var taken6 = walk6.Take(want - taken4, picks6);
            if (taken4 + taken6 < want)
                taken4 += walk4.Take(want - taken4 - taken6, picks4[taken4..]);

            return new AnnounceResult(
                _seeders,
                _leechers,
                _completed,
                WriteCompact(_peers4, picks4[..taken4]),
                taken6 == 0 ? Array.Empty<byte>() : WriteCompact(_peers6!, picks6[..taken6]),
                request.IncludePeerIds ? WriteIds(picks4[..taken4], picks6[..taken6]) : Array.Empty<byte>());
        }
        finally
        {
            if (rented is not null)
                ArrayPool<int>.Shared.Return(rented);
        }
    }

    private int Start(int count) => count == 0 ? 0 : _random.Next(count);

    /// <summary>The index in <paramref name="family"/>'s array of whichever of the announcer's entries is of that family, or -1.</summary>
    private static int SelfIn(int family, int self, int partner) =>
        self >= 0 && FamilyOf(self) == family ? IndexOf(self)
        : partner >= 0 && FamilyOf(partner) == family ? IndexOf(partner)
        : -1;

    private static byte[] WriteCompact<TAddress>(PeerList<TAddress> peers, ReadOnlySpan<int> picks)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        if (picks.IsEmpty)
            return Array.Empty<byte>();
        var bytes = new byte[picks.Length * TAddress.CompactLength];
        for (var k = 0; k < picks.Length; k++)
        {
            ref var entry = ref peers[picks[k]];
            entry.Address.WriteCompact(bytes.AsSpan(k * TAddress.CompactLength), entry.Port);
        }
        return bytes;
    }

    private byte[] WriteIds(ReadOnlySpan<int> picks4, ReadOnlySpan<int> picks6)
    {
        if (picks4.IsEmpty && picks6.IsEmpty)
            return Array.Empty<byte>();
        var bytes = new byte[(picks4.Length + picks6.Length) * PeerId.Length];
        var at = 0;
        foreach (var i in picks4)
        {
            ((ReadOnlySpan<byte>)_peers4[i].Id).CopyTo(bytes.AsSpan(at));
            at += PeerId.Length;
        }
        foreach (var i in picks6)
        {
            ((ReadOnlySpan<byte>)_peers6![i].Id).CopyTo(bytes.AsSpan(at));
            at += PeerId.Length;
        }
        return bytes;
    }

    /// <summary>A resumable walk over one family's array from a random start, with wrap-around.</summary>
    private struct PeerWalk<TAddress> where TAddress : struct, IPeerAddress<TAddress>
    {
        private readonly PeerList<TAddress>? _peers;
        private readonly int _count;
        private readonly int _start;
        private readonly int _selfIndex;
        private readonly bool _selfFamily;
        private readonly TAddress _selfAddress;
        private readonly ushort _selfPort;
        private readonly long _cutoff;
        private int _step;

        public PeerWalk(PeerList<TAddress> peers, int count, int start, int selfIndex, PeerEndpoint selfEndpoint, long cutoff)
        {
            _peers = peers;
            _count = count;
            _start = start;
            _selfIndex = selfIndex;
            _selfFamily = selfEndpoint.IsIPv4 == (TAddress.Family == IPv4Address.Family);
            _selfAddress = _selfFamily ? TAddress.From(selfEndpoint) : default;
            _selfPort = selfEndpoint.Port;
            _cutoff = cutoff;
        }

        /// <summary>Appends up to <paramref name="max"/> peer indexes to <paramref name="into"/>.</summary>
        public int Take(int max, Span<int> into)
        {
            var taken = 0;
            while (taken < max && _step < _count)
            {
                var i = _start + _step++;
                if (i >= _count)
                    i -= _count;
                ref var entry = ref _peers![i];
                var isSelf = i == _selfIndex
                    || (_selfFamily && entry.Port == _selfPort && entry.Address.SameAs(_selfAddress));
                if (!isSelf && entry.LastSeen > _cutoff)
                    into[taken++] = i;
            }
            return taken;
        }
    }
}
