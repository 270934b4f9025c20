using System.Runtime.CompilerServices;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// One stored peer. Fields are ordered so the struct packs without holes: 56 bytes for IPv4,
/// 72 for IPv6 (checked by a test). The 8-byte fields come first; the peer id is kept as its 20
/// raw bytes because <see cref="PeerId"/> itself pads to 24.
/// </summary>
internal struct PeerEntry<TAddress> where TAddress : struct, IPeerAddress<TAddress>
{
    public long Uploaded;
    public long Downloaded;
    public long Left;
    public PeerIdBytes Id;
    /// <summary>Milliseconds from the swarm's time base to the last announce.</summary>
    public uint LastSeen;
    public TAddress Address;
    public ushort Port;
    public byte LastEvent;
    public PeerFlags Flags;

    public readonly bool IsSeeder => (Flags & PeerFlags.Seeder) != 0;
}

[Flags]
internal enum PeerFlags : byte
{
    None = 0,
    Seeder = 1,
    /// <summary>The peer has sent <c>completed</c>: it never counts towards the completed total again.</summary>
    Completed = 2,
    /// <summary>One of the two addresses (one per family) of a dual-stack peer; the other has the same id and flag.</summary>
    Paired = 4,
    /// <summary>
    /// The paired address added second: the peer is counted (seeder or leecher) through the other
    /// one, which alone decides its state; this one only serves answers of its family.
    /// </summary>
    Secondary = 8,
}

/// <summary>A peer id's 20 bytes inline, with no padding.</summary>
[InlineArray(PeerId.Length)]
internal struct PeerIdBytes
{
    private byte _element0;
}
