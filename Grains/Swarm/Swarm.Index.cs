using System.Numerics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// The peer-id index: an open-addressing table (linear probing, backward-shift deletion, so no
/// tombstones) of 4-byte peer references, hashed by peer id (the entries of one id, one per address,
/// share a probe run; <see cref="MaxEntriesPerId"/> bounds how long an attacker can make one). The ids themselves stay in the peer arrays, so the
/// index costs 5 to 11 bytes a peer where a <c>Dictionary&lt;PeerId, int&gt;</c> costs about 44.
/// <see cref="PeerId.GetHashCode"/> is seeded per process, so clients cannot aim collisions.
/// Swarms of up to <see cref="SmallSwarm"/> peers (most of a tracker's swarms) have no table at all
/// and are searched linearly; the table appears above that size and goes again at half of it.
/// </summary>
public sealed partial class Swarm
{
    // 16, not 8: a tracker's typical swarm of 10-16 peers then has no table (about 150 bytes per
    // torrent saved; docs/benchmarks.md, "Memory per peer"), and a linear search of 16 ids stays
    // as cheap as hashing one.
    private const int SmallSwarm = 16;
    private const int MinSlots = 16;

    /// <summary>0 for an empty slot, otherwise a peer reference plus one.</summary>
    private int[] _slots = [];

    /// <summary>A peer reference: the index in its family's array, shifted, with the family in bit 0.</summary>
    private static int Reference(int index, int family) => (index << 1) | family;

    private static int IndexOf(int peer) => peer >> 1;

    private static int FamilyOf(int peer) => peer & 1;

    private PeerId IdOf(int peer) => FamilyOf(peer) == IPv4Address.Family
        ? PeerId.Read(_peers4[IndexOf(peer)].Id)
        : PeerId.Read(_peers6![IndexOf(peer)].Id);

    /// <summary>
    /// The references of every stored entry with one peer id (an id can have several addresses):
    /// the id's probe run in the table, or a scan of both arrays in a small swarm. Valid until the
    /// swarm changes.
    /// </summary>
    private struct EntriesOf(Swarm swarm, PeerId id)
    {
        private int _at = swarm._slots.Length == 0 ? 0 : id.GetHashCode() & (swarm._slots.Length - 1);

        public bool Next(out int peer)
        {
            var slots = swarm._slots;
            if (slots.Length != 0)
            {
                // Load stays at or under 3/4: the run ends at an empty slot.
                for (var value = slots[_at]; value != 0; value = slots[_at])
                {
                    _at = (_at + 1) & (slots.Length - 1);
                    if (swarm.IdOf(value - 1) == id)
                    {
                        peer = value - 1;
                        return true;
                    }
                }
            }
            else
            {
                var count4 = swarm._peers4.Count;
                while (_at < swarm.PeerCount)
                {
                    var i = _at++;
                    var candidate = i < count4 ? Reference(i, IPv4Address.Family) : Reference(i - count4, IPv6Address.Family);
                    if (swarm.IdOf(candidate) == id)
                    {
                        peer = candidate;
                        return true;
                    }
                }
            }
            peer = -1;
            return false;
        }
    }

    /// <summary>Inserts a reference; the caller has made room with <see cref="EnsureIndexCapacity"/>.</summary>
    private void IndexInsert(PeerId id, int peer)
    {
        if (_slots.Length == 0)
            return;
        var mask = _slots.Length - 1;
        var i = id.GetHashCode() & mask;
        while (_slots[i] != 0)
            i = (i + 1) & mask;
        _slots[i] = peer + 1;
    }

    private int SlotOf(PeerId id, int peer)
    {
        var mask = _slots.Length - 1;
        var i = id.GetHashCode() & mask;
        while (_slots[i] != peer + 1)
            i = (i + 1) & mask;
        return i;
    }

    private void IndexReplace(PeerId id, int oldPeer, int newPeer)
    {
        if (_slots.Length != 0)
            _slots[SlotOf(id, oldPeer)] = newPeer + 1;
    }

    private void IndexRemove(PeerId id, int peer)
    {
        if (_slots.Length == 0)
            return;
        var mask = _slots.Length - 1;
        var hole = SlotOf(id, peer);
        // Backward shift: pull later entries of the probe run into the hole unless their home slot
        // lies cyclically after the hole (moving them would put them before their home).
        for (var j = (hole + 1) & mask; _slots[j] != 0; j = (j + 1) & mask)
        {
            var home = IdOf(_slots[j] - 1).GetHashCode() & mask;
            var staysPut = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (staysPut)
                continue;
            _slots[hole] = _slots[j];
            hole = j;
        }
        _slots[hole] = 0;
    }

    /// <summary>Makes room for <paramref name="count"/> peers (before adding one).</summary>
    private void EnsureIndexCapacity(int count)
    {
        var target = TargetSlots(count);
        if (target != _slots.Length)
            RebuildIndex(target);
    }

    private void ShrinkIndexIfSparse() => EnsureIndexCapacity(PeerCount);

    /// <summary>
    /// The table size for <paramref name="count"/> peers: none for a small swarm, the current size
    /// while the load stays within 1/8..3/4, otherwise a size giving a load of 1/2.
    /// </summary>
    private int TargetSlots(int count)
    {
        var length = _slots.Length;
        if (count <= SmallSwarm / 2 || (length == 0 && count <= SmallSwarm))
            return 0;
        if (length > 0 && count * 4 <= length * 3 && (length == MinSlots || count * 8 > length))
            return length;
        return Math.Max(MinSlots, (int)BitOperations.RoundUpToPowerOf2((uint)count * 2));
    }

    /// <summary>Re-inserts every peer into a table of <paramref name="length"/> slots (a power of two).</summary>
    private void RebuildIndex(int length)
    {
        if (length == _slots.Length)
            Array.Clear(_slots);
        else
            _slots = length == 0 ? [] : new int[length];
        InsertAll(_peers4);
        if (_peers6 is not null)
            InsertAll(_peers6);
    }

    private void InsertAll<TAddress>(PeerList<TAddress> peers) where TAddress : struct, IPeerAddress<TAddress>
    {
        for (var i = 0; i < peers.Count; i++)
            IndexInsert(PeerId.Read(peers[i].Id), Reference(i, TAddress.Family));
    }
}
