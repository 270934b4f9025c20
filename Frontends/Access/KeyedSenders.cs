using System.Buffers.Binary;
using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Access;

/// <summary>
/// UDP senders of a private tracker that announced with a valid key, each named by its address and
/// the BEP 15 connection id it announced under, with the key it used. A BEP 15 scrape has no room
/// for a key, so a scrape from a remembered sender is answered with the counts its key allows
/// (the key is checked again then: a deleted or expired key no longer counts).
/// </summary>
/// <remarks>
/// Bounded like <see cref="Udp.AbuseThrottle"/>: a fixed array of slots indexed by a keyed hash of
/// address and connection id, the same memory (3 MiB) whatever is sent. Only an announce that passed
/// the connection id check (the sender received our connect answer at that address: not spoofed)
/// and the key check is remembered, and one address gets one new connection id per second, so
/// spoofed floods write nothing and a key holder cannot flood it faster than the table's slots
/// turn over. Two senders meeting in one slot: the later one wins and the earlier one reads zeros
/// until it announces again. An entry is never removed: it becomes unreachable when its
/// connection id expires (two minutes), because the UDP frontend refuses the id before asking here.
/// Lock-free: a check word over each slot turns a read torn by a concurrent write into "not
/// remembered" (zeros), never into another sender's key.
/// </remarks>
internal sealed class KeyedSenders
{
    /// <summary>65,536 slots × 48 bytes = 3 MiB per process, allocated in the private modes only.</summary>
    public const int Slots = 1 << 16;

    private readonly Slot[] _slots = new Slot[Slots];
    private readonly TableHashKey _key = TableHashKey.Random();

    /// <summary>Remembers that <paramref name="source"/> announced with the key known by <paramref name="key"/> under <paramref name="connectionId"/>.</summary>
    public void Remember(PeerEndpoint source, long connectionId, in KeyDigest key)
    {
        var tag = Tag(source, connectionId);
        ref var slot = ref _slots[(int)(tag & (Slots - 1))];
        slot.Tag = tag;
        slot.Key = key;
        Volatile.Write(ref slot.Check, CheckWord(tag, key));
    }

    /// <summary>The key <paramref name="source"/> announced with under <paramref name="connectionId"/>; false when it did not (or was overwritten).</summary>
    public bool TryRecall(PeerEndpoint source, long connectionId, out KeyDigest key)
    {
        var tag = Tag(source, connectionId);
        ref var slot = ref _slots[(int)(tag & (Slots - 1))];
        var check = Volatile.Read(ref slot.Check);
        key = slot.Key;
        if (slot.Tag == tag && check == CheckWord(tag, key))
            return true;
        key = default;
        return false;
    }

    /// <summary>Never 0, so an empty slot (all zeros) matches no sender.</summary>
    private ulong Tag(PeerEndpoint source, long connectionId)
    {
        Span<byte> message = stackalloc byte[16 + 8];
        var length = source.WriteAddress(message);
        BinaryPrimitives.WriteInt64LittleEndian(message[length..], connectionId);
        return _key.Hash(message[..(length + 8)]) | 1;
    }

    private static ulong CheckWord(ulong tag, in KeyDigest key) =>
        tag ^ (ulong)key.High ^ (ulong)(key.High >> 64) ^ (ulong)key.Low ^ (ulong)(key.Low >> 64) ^ 0x9E3779B97F4A7C15;

    private struct Slot
    {
        public ulong Tag;
        public KeyDigest Key;
        public ulong Check;
    }
}
