using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// One torrent's peers and counters, as a plain single-threaded data structure (the torrent grain
/// owns one and gives it its turn-based concurrency). One <see cref="Announce"/> does everything an
/// announce needs: expire, upsert or remove the peer, count, and pick the answer's peers.
/// </summary>
/// <remarks>
/// Layout: IPv4 and IPv6 peers live in separate arrays of structs (56 and 72 bytes a peer), found by
/// peer id through an open-addressing table of 4-byte references (load 1/8 to 3/4; no table for
/// swarms of up to 16 peers). No object per peer; an announce allocates only the answer's byte arrays.
/// Not thread-safe: the owning grain calls it one turn at a time.
/// </remarks>
public sealed partial class Swarm
{
    private readonly SwarmOptions _options;
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly PeerList<IPv4Address> _peers4 = new();
    private PeerList<IPv6Address>? _peers6;
    private int _seeders;
    private int _leechers;
    private long _completed;

    /// <param name="options">Timeout and numwant limits.</param>
    /// <param name="clock">Time source; tests pass a manual clock.</param>
    /// <param name="completed">The historic completed count, as loaded from storage.</param>
    /// <param name="random">Source for peer sampling; <see cref="Random.Shared"/> when null.</param>
    public Swarm(SwarmOptions options, TimeProvider clock, long completed = 0, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegative(completed);
        options.Validate();
        _options = options;
        _clock = clock;
        _random = random ?? Random.Shared;
        _completed = completed;
        _timeoutMs = (long)options.PeerTimeout.TotalMilliseconds;
        _epoch = clock.GetTimestamp();
    }

    /// <summary>Live seeders and leechers (exact to within a second of expiry), historic completed.</summary>
    public SwarmCounts Counts => new(_seeders, _leechers, _completed);

    /// <summary>Stored peers, including expired ones a sweep has not removed yet.</summary>
    public int PeerCount => _peers4.Count + (_peers6?.Count ?? 0);

    public long Completed => _completed;

    /// <summary>
    /// Adds <paramref name="count"/> completions counted elsewhere (the stored count, when it
    /// could only be read after the swarm started counting).
    /// </summary>
    public void AddCompleted(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _completed += count;
    }

    /// <summary>No peer of any kind (UDP/HTTP or WebSocket).</summary>
    public bool IsEmpty => PeerCount == 0 && WebSocketPeerCount == 0;

    private PeerList<IPv6Address> Peers6 => _peers6 ??= new();

    /// <summary>
    /// Records the announce and answers it: counts after the announce, and up to numwant random live
    /// peers of the requested families, never the announcing peer itself. A peer is its id at the
    /// address it announces from (Swarm.Pairs.cs): only that address updates or stops it.
    /// </summary>
    public AnnounceResult Announce(in AnnounceRequest request)
    {
        var now = Now();
        if (now >= _nextSweep)
            Sweep(now);
        return request.Endpoint.IsIPv4
            ? Announce(_peers4, request, now)
            : Announce(Peers6, request, now);
    }

    private AnnounceResult Announce<TAddress>(PeerList<TAddress> peers, in AnnounceRequest request, long now)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        var address = TAddress.From(request.Endpoint);
        var found = Find(peers, request.PeerId, address, now);
        if (found.Exact >= 0 && IsExpired(StateOf(found.Exact).LastSeen, now))
        {
            // An expired entry that a sweep has not reached yet: gone, the announce is a new one.
            RemovePeer(found.Exact);
            found = Find(peers, request.PeerId, address, now);
        }
        if (request.Event == AnnounceEvent.Stopped)
        {
            if (found.Exact >= 0)
                RemovePeer(found.Exact);
            return CountsOnly();
        }

        int self;
        if (found.Exact >= 0)
        {
            self = found.Exact;
            Update(peers, IndexOf(self), request, now);
        }
        else if (found.Live >= MaxEntriesPerId)
        {
            self = -1;   // answered, not stored (see MaxEntriesPerId)
        }
        else if (AddressAtLimit<TAddress>(address))
        {
            return PeerLimitRefusal();
        }
        else
        {
            // Only a peer that is not stored yet can take the swarm over the cap. Evicting moves
            // entries: what Find returned is looked up again.
            if (PeerCount >= _options.MaxPeers)
            {
                EvictOldest(now);
                found = Find(peers, request.PeerId, address, now);
            }
            self = Add(peers, request, found.PairWith, now);
        }
        if (self >= 0)
            _nextSweep = Math.Min(_nextSweep, Math.Max(now + _timeoutMs, _lastSweep + MinSweepIntervalMs));
        return Respond(request, self, now);
    }

    /// <summary>A stored, live address announces again: its fields change, its counts move with them.</summary>
    private void Update<TAddress>(PeerList<TAddress> peers, int index, in AnnounceRequest request, long now)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        var flags = peers[index].Flags;
        Uncount(flags);
        var carried = flags & (PeerFlags.Completed | PeerFlags.Paired | PeerFlags.Secondary);
        if (request.Event == AnnounceEvent.Completed && (carried & PeerFlags.Completed) == 0)
        {
            _completed++;
            carried |= PeerFlags.Completed;
            if ((carried & PeerFlags.Paired) != 0)
                FlagsOf(PartnerOf(Reference(index, TAddress.Family))) |= PeerFlags.Completed;
        }
        Write(ref peers[index], request, carried, now);
    }

    /// <summary>
    /// Stores a new address: a new peer, or the second address of the peer
    /// <paramref name="pairWith"/> (-1: none). A completed event counts only for a peer the swarm
    /// already knew, so for the second address of a live peer that has not completed yet.
    /// </summary>
    private int Add<TAddress>(PeerList<TAddress> peers, in AnnounceRequest request, int pairWith, long now)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        var carried = PeerFlags.None;
        if (pairWith >= 0)
            carried = PairWith(pairWith) | PeerFlags.Paired | PeerFlags.Secondary;
        if (request.Event == AnnounceEvent.Completed)
        {
            if (pairWith >= 0 && (carried & PeerFlags.Completed) == 0)
            {
                _completed++;
                FlagsOf(pairWith) |= PeerFlags.Completed;
            }
            carried |= PeerFlags.Completed;
        }
        EnsureIndexCapacity(PeerCount + 1);
        var index = peers.Add();
        request.PeerId.WriteTo(peers[index].Id);
        var self = Reference(index, TAddress.Family);
        IndexInsert(request.PeerId, self);
        Write(ref peers[index], request, carried, now);
        CountAddress<TAddress>(peers[index].Address, +1);
        return self;
    }

    private void Write<TAddress>(ref PeerEntry<TAddress> entry, in AnnounceRequest request, PeerFlags carried, long now)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        if (request.Left == 0)
            carried |= PeerFlags.Seeder;
        entry.Uploaded = request.Uploaded;
        entry.Downloaded = request.Downloaded;
        entry.Left = request.Left;
        entry.LastSeen = (uint)(now - _base);
        entry.Address = TAddress.From(request.Endpoint);
        entry.Port = request.Endpoint.Port;
        entry.LastEvent = (byte)request.Event;
        entry.Flags = carried;
        Count(carried);
    }

    /// <summary>Removes one entry, as it is (its partner, if any, is the caller's business).</summary>
    private void RemoveEntry(int peer)
    {
        if (FamilyOf(peer) == IPv4Address.Family)
            RemoveAt(_peers4, IndexOf(peer));
        else
            RemoveAt(_peers6!, IndexOf(peer));
        ShrinkIndexIfSparse();
    }

    private void RemoveAt<TAddress>(PeerList<TAddress> peers, int index) where TAddress : struct, IPeerAddress<TAddress>
    {
        Uncount(peers[index].Flags);
        CountAddress<TAddress>(peers[index].Address, -1);
        IndexRemove(PeerId.Read(peers[index].Id), Reference(index, TAddress.Family));
        var movedFrom = peers.RemoveAt(index);
        if (movedFrom >= 0)
            IndexReplace(PeerId.Read(peers[index].Id), Reference(movedFrom, TAddress.Family), Reference(index, TAddress.Family));
    }

    private ref PeerFlags FlagsOf(int peer)
    {
        if (FamilyOf(peer) == IPv4Address.Family)
            return ref _peers4[IndexOf(peer)].Flags;
        return ref _peers6![IndexOf(peer)].Flags;
    }

    private (uint LastSeen, PeerFlags Flags) StateOf(int peer)
    {
        if (FamilyOf(peer) == IPv4Address.Family)
        {
            ref var entry = ref _peers4[IndexOf(peer)];
            return (entry.LastSeen, entry.Flags);
        }
        ref var entry6 = ref _peers6![IndexOf(peer)];
        return (entry6.LastSeen, entry6.Flags);
    }

    /// <summary>Counts a peer by the flags of its counted address; a secondary address counts nothing.</summary>
    private void Count(PeerFlags flags)
    {
        if ((flags & PeerFlags.Secondary) != 0)
            return;
        if ((flags & PeerFlags.Seeder) != 0)
            _seeders++;
        else
            _leechers++;
    }

    private void Uncount(PeerFlags flags)
    {
        if ((flags & PeerFlags.Secondary) != 0)
            return;
        if ((flags & PeerFlags.Seeder) != 0)
            _seeders--;
        else
            _leechers--;
    }

    private AnnounceResult CountsOnly() =>
        new(_seeders, _leechers, _completed, Array.Empty<byte>(), Array.Empty<byte>(), Array.Empty<byte>());
}
