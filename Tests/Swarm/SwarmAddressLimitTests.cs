using System.Net;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;
using TrackerSwarm = OrleansTracker.Grains.Swarm.Swarm;

namespace OrleansTracker.Tests.Swarm;

/// <summary>peers_per_address_per_swarm in the swarm itself, without Orleans.</summary>
public sealed class SwarmAddressLimitTests
{
    private const int Limit = 3;
    private readonly ManualClock _clock = new();

    private TrackerSwarm NewLimitedSwarm(int limit = Limit) =>
        new(new SwarmOptions(PeerTimeout, DefaultNumWant, MaxNumWant, MaxPeersPerAddress: limit), _clock, 0, new Random(1));

    private static PeerEndpoint At(string address, ushort port) => PeerEndpoint.FromIPAddress(IPAddress.Parse(address), port);

    [Fact]
    public void One_address_beyond_the_limit_is_refused_and_adds_nothing_while_other_addresses_and_known_peers_go_on()
    {
        var swarm = NewLimitedSwarm();
        for (var n = 1; n <= Limit; n++)
            Assert.False(swarm.Announce(n, At("198.51.100.7", (ushort)(6000 + n))).PeerLimitReached);

        var refused = swarm.Announce(99, At("198.51.100.7", 7000), left: 0);
        Assert.True(refused.PeerLimitReached);
        Assert.Equal(new SwarmCounts(0, Limit, 0), new SwarmCounts(refused.Seeders, refused.Leechers, refused.Completed));
        Assert.Empty(refused.Peers4);
        Assert.Equal(Limit, swarm.PeerCount);

        Assert.False(swarm.Announce(2, At("198.51.100.7", 6002), left: 0).PeerLimitReached, "a stored peer keeps announcing");
        Assert.False(swarm.Announce(100, At("198.51.100.8", 7000)).PeerLimitReached, "another address");
        Assert.Equal(Limit + 1, swarm.PeerCount);
    }

    [Fact]
    public void A_stopped_or_expired_peer_frees_its_place()
    {
        var swarm = NewLimitedSwarm();
        for (var n = 1; n <= Limit; n++)
            swarm.Announce(n, At("198.51.100.7", (ushort)(6000 + n)));
        swarm.Announce(1, At("198.51.100.7", 6001), announceEvent: AnnounceEvent.Stopped);
        Assert.False(swarm.Announce(10, At("198.51.100.7", 6010)).PeerLimitReached);
        Assert.True(swarm.Announce(11, At("198.51.100.7", 6011)).PeerLimitReached);

        _clock.Advance(PeerTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(Limit, swarm.RemoveExpired());
        Assert.Equal(0, swarm.PeersAt(At("198.51.100.7", 1)));
        for (var n = 20; n < 20 + Limit; n++)
            Assert.False(swarm.Announce(n, At("198.51.100.7", (ushort)(6000 + n))).PeerLimitReached);
        Assert.Equal(Limit, swarm.PeersAt(At("198.51.100.7", 1)));
    }

    [Fact]
    public void Ipv6_addresses_count_per_64_prefix()
    {
        var swarm = NewLimitedSwarm(2);
        Assert.False(swarm.Announce(1, At("2001:db8:1:2::1", 6881)).PeerLimitReached);
        Assert.False(swarm.Announce(2, At("2001:db8:1:2:ffff::9", 6881)).PeerLimitReached);
        Assert.True(swarm.Announce(3, At("2001:db8:1:2::abcd", 6881)).PeerLimitReached);
        Assert.False(swarm.Announce(4, At("2001:db8:1:3::1", 6881)).PeerLimitReached);
        Assert.Equal(3, swarm.PeerCount);
    }

    [Fact]
    public void Counts_stay_exact_through_eviction_by_the_swarm_cap()
    {
        var swarm = new TrackerSwarm(new SwarmOptions(PeerTimeout, DefaultNumWant, MaxNumWant, MaxPeers: 64, MaxPeersPerAddress: 1000), _clock, 0, new Random(1));
        for (var n = 1; n <= 500; n++)
        {
            swarm.Announce(n, At(n % 2 == 0 ? "198.51.100.1" : "198.51.100.2", (ushort)(1000 + n)), numWant: 0);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        Assert.Equal(swarm.PeerCount, swarm.PeersAt(At("198.51.100.1", 1)) + swarm.PeersAt(At("198.51.100.2", 1)));
        var listed = swarm.SnapshotPeers().Count(p => p.Endpoint.Equals(At("198.51.100.1", p.Endpoint.Port)));
        Assert.Equal(listed, swarm.PeersAt(At("198.51.100.1", 1)));
    }

    [Fact]
    public void With_the_limit_off_nothing_is_counted_or_refused()
    {
        var swarm = NewSwarm(_clock);
        for (var n = 1; n <= 50; n++)
            Assert.False(swarm.Announce(n, At("198.51.100.7", (ushort)(6000 + n))).PeerLimitReached);
        Assert.Equal(0, swarm.PeersAt(At("198.51.100.7", 1)));
    }
}
