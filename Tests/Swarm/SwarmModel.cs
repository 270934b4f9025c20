using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

/// <summary>
/// The swarm rules written as plainly as possible, to check the real swarm against. A peer is an
/// id with at most one address per family; the family announced first counts it. A request is
/// the entry at its address (same id, same family, same IP; the port may change), else the second
/// address of the id's only peer when that peer has exactly one address, of the other family,
/// else a new peer; an id with <see cref="MaxEntriesPerId"/> live addresses stores no more.
/// </summary>
internal sealed class SwarmModel(ManualClock clock)
{
    private const int MaxEntriesPerId = 8;
    private readonly List<Peer> _peers = [];

    public long Completed { get; private set; }

    /// <summary>Applies the announce; returns how many peers the answer must hold and which may appear.</summary>
    public int Announce(in AnnounceRequest request, out HashSet<(PeerEndpoint, PeerId)> eligible)
    {
        var now = clock.GetUtcNow();
        RemoveExpired();
        eligible = [];
        var ipv4 = request.Endpoint.IsIPv4;
        var endpoint = request.Endpoint;
        var id = request.PeerId;
        var completedEvent = request.Event == AnnounceEvent.Completed;
        var self = _peers.FirstOrDefault(p => p.Id == id && p.At(ipv4) is { } a && a.Endpoint.WithPort(0) == endpoint.WithPort(0));
        if (request.Event == AnnounceEvent.Stopped)
        {
            if (self is not null)
                Drop(self, ipv4);
            return 0;
        }
        var address = new Address(endpoint, request.Left == 0, now);
        if (self is null)
        {
            var withId = _peers.Where(p => p.Id == id).ToList();
            if (withId.Sum(p => p.Addresses) >= MaxEntriesPerId)
            {
                // answered, not stored
            }
            else if (withId is [{ Addresses: 1 } only] && only.At(ipv4) is null)
            {
                self = only;                       // a dual-stack peer's second address
                if (completedEvent && !only.Completed)
                    Completed++;
            }
            else
            {
                self = new Peer(id, ipv4);         // a new peer: a completed event does not count
                _peers.Add(self);
            }
        }
        else if (completedEvent && !self.Completed)
        {
            Completed++;
        }
        if (self is not null)
        {
            self.Completed |= completedEvent;
            self.Set(ipv4, address);
        }

        var want = Math.Min(request.NumWant < 0 ? DefaultNumWant : request.NumWant, MaxNumWant);
        foreach (var peer in _peers.Where(p => p != self))
        {
            foreach (var (family, other) in peer.All)
            {
                if (other.Endpoint != endpoint && (request.Families & family) != 0)
                    eligible.Add((other.Endpoint, peer.Id));
            }
        }
        return Math.Min(want, eligible.Count);
    }

    public void RemoveExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var peer in _peers.ToList())
        {
            foreach (var ipv4 in new[] { true, false })
            {
                if (peer.At(ipv4) is { } address && now - address.LastSeen >= PeerTimeout)
                    Drop(peer, ipv4);
            }
        }
    }

    /// <summary>Compares after both have swept, when counts are exact.</summary>
    public void AssertSame(OrleansTracker.Grains.Swarm.Swarm swarm)
    {
        var seeders = _peers.Count(p => p.At(p.FirstIsIPv4)!.Seeder);
        Assert.Equal(new SwarmCounts(seeders, _peers.Count - seeders, Completed), swarm.Counts);
        Assert.Equal(_peers.Sum(p => p.Addresses), swarm.PeerCount);
        Assert.Equal(
            _peers.SelectMany(p => p.All.Select(a => (p.Id, a.Address.Endpoint, a.Address.LastSeen))).ToHashSet(),
            swarm.SnapshotPeers().Select(p => (p.PeerId, p.Endpoint, p.LastAnnounce)).ToHashSet());
    }

    private void Drop(Peer peer, bool ipv4)
    {
        peer.Set(ipv4, null);
        if (peer.Addresses == 0)
            _peers.Remove(peer);
        else
            peer.FirstIsIPv4 = !ipv4;              // the remaining address counts the peer now
    }

    private sealed record Address(PeerEndpoint Endpoint, bool Seeder, DateTimeOffset LastSeen);

    private sealed class Peer(PeerId id, bool firstIsIPv4)
    {
        private Address? _v4;
        private Address? _v6;

        public PeerId Id { get; } = id;

        public bool FirstIsIPv4 { get; set; } = firstIsIPv4;

        public bool Completed { get; set; }

        public int Addresses => (_v4 is null ? 0 : 1) + (_v6 is null ? 0 : 1);

        public IEnumerable<(PeerFamilies Family, Address Address)> All =>
            new[] { (PeerFamilies.IPv4, _v4), (PeerFamilies.IPv6, _v6) }.Where(a => a.Item2 is not null).Select(a => (a.Item1, a.Item2!));

        public Address? At(bool ipv4) => ipv4 ? _v4 : _v6;

        public void Set(bool ipv4, Address? address)
        {
            if (ipv4)
                _v4 = address;
            else
                _v6 = address;
        }
    }
}
