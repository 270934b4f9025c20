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
/// swarms of up to 8 peers). No object per peer; an announce allocates only the answer's byte arrays.
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
    /// peers of the requested families, never the announcing peer itself.
    /// </summary>
    public AnnounceResult Announce(in AnnounceRequest request)
    {
        var now = Now();
        if (now >= _nextSweep)
            Sweep(now);

        var found = Find(request.PeerId);
        if (request.Event == AnnounceEvent.Stopped)
        {
            if (found >= 0)
                Remove(found);
            return CountsOnly();
        }

        var self = request.Endpoint.IsIPv4
            ? Upsert(_peers4, request, found, now)
            : Upsert(Peers6, request, found, now);
        _nextSweep = Math.Min(_nextSweep, Math.Max(now + _timeoutMs, _lastSweep + MinSweepIntervalMs));
        return Respond(request, self, now);
    }

    /// <summary>Adds or updates the announcing peer and returns its reference.</summary>
    private int Upsert<TAddress>(PeerList<TAddress> peers, in AnnounceRequest request, int found, long now)
        where TAddress : struct, IPeerAddress<TAddress>
    {
        var index = -1;
        var known = false;
        var carried = PeerFlags.None;
        if (found >= 0)
        {
            var (lastSeen, flags) = StateOf(found);
            // An expired peer that a sweep has not reached yet comes back as a new peer.
            known = !IsExpired(lastSeen, now);
            if (known)
                carried = flags & PeerFlags.Completed;
            if (FamilyOf(found) == TAddress.Family)
            {
                index = IndexOf(found);
                Uncount(flags);
            }
            else
            {
                Remove(found);
            }
        }
        if (index < 0)
        {
            // Only a peer that is not stored yet can take the swarm over the cap. Evicting moves
            // entries; no reference taken before it (found) is used after it.
            if (PeerCount >= _options.MaxPeers)
                EvictOldest(now);
            index = Add(peers, request.PeerId);
        }

        if (request.Event == AnnounceEvent.Completed)
        {
            if (known && (carried & PeerFlags.Completed) == 0)
                _completed++;
            carried |= PeerFlags.Completed;
        }
        if (request.Left == 0)
            carried |= PeerFlags.Seeder;

        ref var entry = ref peers[index];
        entry.Uploaded = request.Uploaded;
        entry.Downloaded = request.Downloaded;
        entry.Left = request.Left;
        entry.LastSeen = (uint)(now - _base);
        entry.Address = TAddress.From(request.Endpoint);
        entry.Port = request.Endpoint.Port;
        entry.LastEvent = (byte)request.Event;
        entry.Flags = carried;
        Count(carried);
        return Reference(index, TAddress.Family);
    }

    private int Add<TAddress>(PeerList<TAddress> peers, PeerId id) where TAddress : struct, IPeerAddress<TAddress>
    {
        EnsureIndexCapacity(PeerCount + 1);
        var index = peers.Add();
        id.WriteTo(peers[index].Id);
        IndexInsert(id, Reference(index, TAddress.Family));
        return index;
    }

    private void Remove(int peer)
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
        IndexRemove(PeerId.Read(peers[index].Id), Reference(index, TAddress.Family));
        var movedFrom = peers.RemoveAt(index);
        if (movedFrom >= 0)
            IndexReplace(PeerId.Read(peers[index].Id), Reference(movedFrom, TAddress.Family), Reference(index, TAddress.Family));
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

    private void Count(PeerFlags flags)
    {
        if ((flags & PeerFlags.Seeder) != 0)
            _seeders++;
        else
            _leechers++;
    }

    private void Uncount(PeerFlags flags)
    {
        if ((flags & PeerFlags.Seeder) != 0)
            _seeders--;
        else
            _leechers--;
    }

    private AnnounceResult CountsOnly() =>
        new(_seeders, _leechers, _completed, Array.Empty<byte>(), Array.Empty<byte>(), Array.Empty<byte>());
}
