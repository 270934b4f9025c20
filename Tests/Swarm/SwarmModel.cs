using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

/// <summary>The swarm rules written as plainly as possible, to check the real swarm against.</summary>
internal sealed class SwarmModel(ManualClock clock)
{
    private readonly Dictionary<PeerId, Entry> _peers = [];

    public long Completed { get; private set; }

    /// <summary>Applies the announce; returns how many peers the answer must hold and which may appear.</summary>
    public int Announce(in AnnounceRequest request, out HashSet<(PeerEndpoint, PeerId)> eligible)
    {
        var now = clock.GetUtcNow();
        eligible = [];
        var known = _peers.TryGetValue(request.PeerId, out var old) && IsLive(old, now);
        if (request.Event == AnnounceEvent.Stopped)
        {
            _peers.Remove(request.PeerId);
            return 0;
        }
        var completed = known && old!.Completed;
        if (request.Event == AnnounceEvent.Completed)
        {
            if (known && !old!.Completed)
                Completed++;
            completed = true;
        }
        _peers[request.PeerId] = new Entry(request.Endpoint, request.Left == 0, now, completed);

        var want = Math.Min(request.NumWant < 0 ? DefaultNumWant : request.NumWant, MaxNumWant);
        foreach (var (id, entry) in _peers)
        {
            var family = entry.Endpoint.IsIPv4 ? PeerFamilies.IPv4 : PeerFamilies.IPv6;
            if (id != request.PeerId && entry.Endpoint != request.Endpoint && IsLive(entry, now) && (request.Families & family) != 0)
                eligible.Add((entry.Endpoint, id));
        }
        return Math.Min(want, eligible.Count);
    }

    public void RemoveExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, entry) in _peers)
        {
            if (!IsLive(entry, now))
                _peers.Remove(id);
        }
    }

    /// <summary>Compares after both have swept, when counts are exact.</summary>
    public void AssertSame(OrleansTracker.Grains.Swarm.Swarm swarm)
    {
        var seeders = _peers.Values.Count(p => p.Seeder);
        Assert.Equal(new SwarmCounts(seeders, _peers.Count - seeders, Completed), swarm.Counts);
        Assert.Equal(_peers.Count, swarm.PeerCount);
        Assert.Equal(
            _peers.Select(p => (p.Key, p.Value.Endpoint, p.Value.LastSeen)).ToHashSet(),
            swarm.SnapshotPeers().Select(p => (p.PeerId, p.Endpoint, p.LastAnnounce)).ToHashSet());
    }

    private static bool IsLive(Entry entry, DateTimeOffset now) => now - entry.LastSeen < PeerTimeout;

    private sealed record Entry(PeerEndpoint Endpoint, bool Seeder, DateTimeOffset LastSeen, bool Completed);
}
