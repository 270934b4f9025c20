using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

public sealed class SwarmLargeTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void ten_thousand_peers_are_counted_found_and_removed_exactly()
    {
        var swarm = NewSwarm(_clock, seed: 2024);
        for (var n = 1; n <= 10_000; n++)
            swarm.Announce(n, n % 4 == 0 ? V6(n) : V4(n), left: n % 3 == 0 ? 0 : 1, numWant: 0);

        Assert.Equal(10_000, swarm.PeerCount);
        Assert.Equal(new SwarmCounts(3333, 6667, 0), swarm.Counts);

        var answer = swarm.Announce(1, V4(1), left: 1);
        Assert.Equal(DefaultNumWant, answer.AllPeers().Distinct().Count());
        Assert.Equal(38, answer.Peers4Count);   // 7500 of 10000 peers are IPv4: 37.5 of 50, rounded
        Assert.Equal(12, answer.Peers6Count);

        for (var n = 2; n <= 10_000; n += 2)
            swarm.Announce(n, n % 4 == 0 ? V6(n) : V4(n), announceEvent: AnnounceEvent.Stopped);
        Assert.Equal(5_000, swarm.PeerCount);
        Assert.Equal(new SwarmCounts(1667, 3333, 0), swarm.Counts);

        // Every remaining peer is still found by id: re-announcing adds nothing.
        _clock.Advance(PeerTimeout / 2);
        for (var n = 1; n <= 10_000; n += 2)
            swarm.Announce(n, V4(n), left: n % 3 == 0 ? 0 : 1, numWant: 0);
        Assert.Equal(5_000, swarm.PeerCount);
        Assert.Equal(new SwarmCounts(1667, 3333, 0), swarm.Counts);

        _clock.Advance(PeerTimeout);
        Assert.Equal(5_000, swarm.RemoveExpired());
        Assert.True(swarm.IsEmpty);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(12)]   // hovers around the size where the id index appears and goes
    [InlineData(5)]
    public void random_churn_matches_a_simple_model(int ids)
    {
        var random = new Random(31337);
        var swarm = NewSwarm(_clock, seed: 1);
        var model = new SwarmModel(_clock);

        for (var op = 0; op < 30_000; op++)
        {
            var roll = random.Next(100);
            if (roll < 3)
            {
                _clock.Advance(TimeSpan.FromSeconds(random.Next(0, (int)PeerTimeout.TotalSeconds / 3)));
            }
            else if (roll < 5)
            {
                swarm.RemoveExpired();
                model.RemoveExpired();
                model.AssertSame(swarm);
            }
            else
            {
                var peer = random.Next(ids);
                var endpoint = random.Next(3) == 0
                    ? V6(random.Next(Math.Min(60, ids)), (ushort)(6881 + random.Next(2)))
                    : V4(random.Next(Math.Min(150, ids)), (ushort)(6881 + random.Next(2)));
                var announceEvent = (AnnounceEvent)random.Next(4);
                var families = (PeerFamilies)random.Next(1, 4);
                var request = Request(peer, endpoint, left: random.Next(3) == 0 ? 0 : 100, announceEvent: announceEvent,
                    numWant: random.Next(-1, 90), families: families, includePeerIds: true);

                var expected = model.Announce(request, out var eligible);
                var result = swarm.Announce(request);

                var returned = result.AllPeers().Zip(result.PeerIds()).ToList();
                Assert.Equal(expected, returned.Count);
                Assert.Equal(returned.Count, returned.Distinct().Count());
                Assert.All(returned, p => Assert.Contains(p, eligible));
                Assert.Equal(model.Completed, result.Completed);
            }
        }
        swarm.RemoveExpired();
        model.RemoveExpired();
        model.AssertSame(swarm);
    }
}
