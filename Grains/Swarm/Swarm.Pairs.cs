using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// Who a request is. Peer ids are public (every swarm member sees them; non-compact answers hand
/// them out), so an id alone proves nothing: an entry is a peer id at an address, and only a
/// request from that address updates or stops it. The rule, per request (id, address of family F):
/// <list type="number">
/// <item>An entry with this id at this address (the port may differ): that entry is updated, or
/// removed by <c>stopped</c>.</item>
/// <item>Otherwise, when exactly one live entry with this id exists and it is of the other family,
/// and the id has no pair yet: the address joins that peer as its second address (a dual-stack
/// client announcing over IPv4 and IPv6). The peer is counted once, through its first address,
/// which alone decides seeder or leecher; the second address only serves answers of its family,
/// and <c>completed</c> counts once for the two.</item>
/// <item>Otherwise: a new, separate peer (another host using the id, or an address the peer
/// moved to; the old one expires).</item>
/// </list>
/// <c>stopped</c> removes only the requesting address; when a first address goes (stopped, expiry,
/// eviction) the second becomes the peer's counted one. So no host can remove, redirect or recount
/// another host's address: the worst a host that knows an id can do is add its own address to a
/// single-family peer, which only puts that host into answers of the other family (as announcing
/// with any id would), or, by announcing first, be the peer the id's real owner joins.
/// </summary>
public sealed partial class Swarm
{
    /// <summary>
    /// Live entries one peer id may have in a swarm. Entries of one id share a probe run in the
    /// index, so without a bound a host with many addresses (an IPv6 /64) could make every lookup
    /// that crosses the run walk it. A request beyond it is answered but not stored.
    /// </summary>
    internal const int MaxEntriesPerId = 8;

    /// <summary>What the swarm holds of one peer id, seen from one request's address.</summary>
    private struct IdLookup
    {
        /// <summary>The entry with the id at the request's address, or -1.</summary>
        public int Exact;

        /// <summary>Live entries with the id (counted only when there is no exact one).</summary>
        public int Live;

        /// <summary>The peer the request's address joins as its second address, or -1.</summary>
        public int PairWith;
    }

    private IdLookup Find<TAddress>(PeerList<TAddress> peers, PeerId id, in TAddress address, long now)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        var found = new IdLookup { Exact = -1, PairWith = -1 };
        var otherFamily = -1;
        var otherLive = 0;
        var paired = false;
        var entries = new EntriesOf(this, id);
        while (entries.Next(out var peer))
        {
            if (FamilyOf(peer) == TAddress.Family && peers[IndexOf(peer)].Address.SameAs(address))
            {
                found.Exact = peer;
                return found;
            }
            var (lastSeen, flags) = StateOf(peer);
            paired |= (flags & PeerFlags.Paired) != 0;
            if (IsExpired(lastSeen, now))
                continue;
            found.Live++;
            if (FamilyOf(peer) != TAddress.Family)
            {
                otherFamily = peer;
                otherLive++;
            }
        }
        if (!paired && otherLive == 1 && found.Live == 1)
            found.PairWith = otherFamily;
        return found;
    }

    /// <summary>The other address of a paired entry (the one entry of the other family with its id and the flag).</summary>
    private int PartnerOf(int peer)
    {
        var entries = new EntriesOf(this, IdOf(peer));
        while (entries.Next(out var other))
        {
            if (FamilyOf(other) != FamilyOf(peer) && (StateOf(other).Flags & PeerFlags.Paired) != 0)
                return other;
        }
        return -1;
    }

    /// <summary>Makes <paramref name="peer"/> the first address of a pair; returns its completed flag for the second.</summary>
    private PeerFlags PairWith(int peer)
    {
        ref var flags = ref FlagsOf(peer);
        flags |= PeerFlags.Paired;
        return flags & PeerFlags.Completed;
    }

    /// <summary>Removes one address of a peer; the other one, if any, stays as the peer's only (counted) address.</summary>
    private void RemovePeer(int peer)
    {
        if ((StateOf(peer).Flags & PeerFlags.Paired) != 0 && PartnerOf(peer) is var partner and >= 0)
            Unpair(partner);
        RemoveEntry(peer);
    }

    /// <summary>The entry's partner left: it is a single address again, and the counted one.</summary>
    private void Unpair(int peer)
    {
        ref var flags = ref FlagsOf(peer);
        var wasSecondary = (flags & PeerFlags.Secondary) != 0;
        flags &= ~(PeerFlags.Paired | PeerFlags.Secondary);
        if (wasSecondary)
            Count(flags);
    }

    /// <summary>
    /// After a sweep or an eviction removed paired entries in bulk: every entry whose partner is gone
    /// becomes single (and counted). Runs only when such an entry was removed; the index is current.
    /// </summary>
    private void RepairPairs()
    {
        Repair(_peers4);
        if (_peers6 is not null)
            Repair(_peers6);
    }

    private void Repair<TAddress>(PeerList<TAddress> peers) where TAddress : struct, IPeerAddress<TAddress>
    {
        for (var i = 0; i < peers.Count; i++)
        {
            var peer = Reference(i, TAddress.Family);
            if ((peers[i].Flags & PeerFlags.Paired) != 0 && PartnerOf(peer) < 0)
                Unpair(peer);
        }
    }
}
