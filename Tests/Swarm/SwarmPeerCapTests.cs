using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

/// <summary>
/// max_peers_per_swarm: a flood of invented peer ids into one swarm. A cap of 64 evicts in batches
/// of 2 (1/32 of the cap), small enough that the exact survivors can be named.
/// </summary>
public sealed class SwarmPeerCapTests
{
    private const int Cap = 64;
    private const int Batch = Cap / 32;
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private readonly ManualClock _clock = new();

    [Fact]
    public void flood_of_fresh_ids_never_takes_the_swarm_over_the_cap()
    {
        var swarm = NewSwarm(_clock, maxPeers: Cap);
        for (var n = 1; n <= 1000; n++)
        {
            swarm.Announce(n, numWant: 0);
            _clock.Advance(Ms);
            Assert.True(swarm.PeerCount <= Cap, $"{swarm.PeerCount} peers after {n} announces");
        }
        Assert.Equal(1000 - swarm.PeerCount, swarm.EvictedPeers);
        Assert.True(swarm.PeerCount > Cap - Batch - 1, "evicts a batch, not the swarm");
    }

    [Fact]
    public void a_new_peer_in_a_full_swarm_evicts_the_peers_announced_longest_ago()
    {
        var swarm = NewSwarm(_clock, maxPeers: Cap);
        for (var n = 1; n <= Cap; n++)
        {
            swarm.Announce(n, numWant: 0);
            _clock.Advance(Ms);
        }
        swarm.Announce(1, numWant: 0);   // known peer: re-announcing never evicts, and makes 1 the newest
        Assert.Equal(Cap, swarm.PeerCount);
        Assert.Equal(0, swarm.EvictedPeers);

        swarm.Announce(1000, numWant: 0);

        var expected = Enumerable.Range(Batch + 2, Cap - Batch - 1).Append(1).Append(1000).Select(Id).ToHashSet();
        Assert.Equal(expected, Ids(swarm));
        Assert.Equal(Batch, swarm.EvictedPeers);
    }

    [Fact]
    public void peers_that_keep_announcing_survive_a_flood_of_fresh_ids()
    {
        var swarm = NewSwarm(_clock, maxPeers: Cap);
        const int Active = 10;
        for (var n = 0; n < 3000; n++)
        {
            if (n % 20 == 0)
            {
                for (var p = 1; p <= Active; p++)
                    swarm.Announce(p, numWant: 0);
            }
            swarm.Announce(10_000 + n, numWant: 0);
            _clock.Advance(Ms);
        }

        var ids = Ids(swarm);
        Assert.All(Enumerable.Range(1, Active), p => Assert.Contains(Id(p), ids));
        Assert.True(swarm.EvictedPeers >= 3000 - Cap);
    }

    [Fact]
    public void peers_announced_in_the_same_millisecond_are_evicted_only_as_many_as_needed()
    {
        var swarm = NewSwarm(_clock, maxPeers: Cap);
        swarm.AddPeers(1, Cap + 1);   // the clock does not move: every peer has the same age

        Assert.Equal(Cap - Batch + 1, swarm.PeerCount);
        Assert.Equal(Batch, swarm.EvictedPeers);
        Assert.Contains(Id(Cap + 1), Ids(swarm));
    }

    [Fact]
    public void seeder_and_leecher_counts_match_the_peers_kept_and_completed_is_untouched()
    {
        var swarm = NewSwarm(_clock, completed: 7, maxPeers: Cap);
        for (var n = 1; n <= 500; n++)
        {
            var endpoint = n % 3 == 0 ? V6(n) : V4(n);
            swarm.Announce(n, endpoint, left: n % 2 == 0 ? 0 : 1000, numWant: 0);
            if (n % 5 == 0)
                swarm.Announce(n, endpoint, left: 0, announceEvent: AnnounceEvent.Completed, numWant: 0);
            _clock.Advance(Ms);
        }

        var peers = swarm.SnapshotPeers();
        var counts = swarm.Counts;
        Assert.Equal(peers.Count, swarm.PeerCount);
        Assert.Equal(peers.Count(p => p.Left == 0), counts.Seeders);
        Assert.Equal(peers.Count(p => p.Left != 0), counts.Leechers);
        Assert.Equal(7 + 100, counts.Completed);   // every peer completed once while stored
        Assert.Equal(500 - peers.Count, swarm.EvictedPeers);
    }

    [Fact]
    public void an_evicted_peer_that_announces_again_comes_back_as_a_new_peer()
    {
        var swarm = NewSwarm(_clock, maxPeers: Cap);
        for (var n = 1; n <= Cap + 1; n++)
        {
            swarm.Announce(n, left: 0, numWant: 0);
            _clock.Advance(Ms);
        }
        Assert.DoesNotContain(Id(1), Ids(swarm));
        var seeders = swarm.Counts.Seeders;

        swarm.Announce(1, left: 0, numWant: 0);

        Assert.Contains(Id(1), Ids(swarm));
        Assert.Equal(seeders + 1, swarm.Counts.Seeders);
        Assert.Contains(V4(1), swarm.Announce(2, numWant: 200).Peers4());
    }

    /// <summary>
    /// Against a model, with ages spread over many milliseconds (so the radix select crosses byte
    /// boundaries) and re-announces mixed in: no peer evicted was announced after a peer kept.
    /// </summary>
    [Fact]
    public void every_eviction_takes_only_peers_no_younger_than_any_peer_kept()
    {
        const int BigCap = 100;
        var swarm = NewSwarm(_clock, maxPeers: BigCap);
        var random = new Random(42);
        var lastSeen = new Dictionary<int, long>();
        long now = 0;
        var evictions = 0;
        for (var step = 0; step < 3000; step++)
        {
            var peer = lastSeen.Count > 0 && random.Next(10) < 3
                ? lastSeen.Keys.ElementAt(random.Next(lastSeen.Count))
                : 100_000 + step;
            var before = swarm.PeerCount;
            swarm.Announce(peer, numWant: 0);
            lastSeen[peer] = now;
            if (swarm.PeerCount <= before)
            {
                var kept = Ids(swarm);
                var gone = lastSeen.Keys.Where(n => !kept.Contains(Id(n))).ToList();
                if (gone.Count > 0)
                {
                    evictions++;
                    var youngestGone = gone.Max(n => lastSeen[n]);
                    var oldestKept = lastSeen.Keys.Where(n => kept.Contains(Id(n))).Min(n => lastSeen[n]);
                    Assert.True(youngestGone <= oldestKept, $"evicted a peer seen at {youngestGone}, kept one seen at {oldestKept}");
                    foreach (var n in gone)
                        lastSeen.Remove(n);
                }
            }
            Assert.Equal(lastSeen.Count, swarm.PeerCount);
            Assert.True(swarm.PeerCount <= BigCap);
            var advance = random.Next(400);
            _clock.Advance(TimeSpan.FromMilliseconds(advance));
            now += advance;
        }
        Assert.True(evictions > 100, $"only {evictions} evictions");
    }

    private static HashSet<PeerId> Ids(OrleansTracker.Grains.Swarm.Swarm swarm) =>
        swarm.SnapshotPeers().Select(p => p.PeerId).ToHashSet();
}
