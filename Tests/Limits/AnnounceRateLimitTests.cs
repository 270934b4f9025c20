using System.Net;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Limits;

/// <summary>announces_per_address_per_minute's table, on a clock the test moves.</summary>
public sealed class AnnounceRateLimitTests
{
    private readonly ManualClock _clock = new();

    private static PeerEndpoint At(string address, ushort port = 6881) => PeerEndpoint.FromIPAddress(IPAddress.Parse(address), port);

    [Fact]
    public void An_address_gets_the_limit_per_minute_whatever_its_ports_then_the_next_minute_anew()
    {
        var limit = new AnnounceRateLimit(3, _clock);
        for (var i = 0; i < 3; i++)
            Assert.True(limit.TryAdmit(At("203.0.113.7", (ushort)(6881 + i))));
        Assert.False(limit.TryAdmit(At("203.0.113.7", 9999)));
        Assert.False(limit.TryAdmit(At("203.0.113.7")), "refused announces are not counted, and stay refused");
        Assert.True(limit.TryAdmit(At("203.0.113.8")));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limit.TryAdmit(At("203.0.113.7")));
    }

    [Fact]
    public void Ipv6_addresses_of_one_64_prefix_share_a_count()
    {
        var limit = new AnnounceRateLimit(2, _clock);
        Assert.True(limit.TryAdmit(At("2001:db8:1:2::1")));
        Assert.True(limit.TryAdmit(At("2001:db8:1:2:ffff::9")));
        Assert.False(limit.TryAdmit(At("2001:db8:1:2::abcd")));
        Assert.True(limit.TryAdmit(At("2001:db8:1:3::1")));
    }

    [Fact]
    public void A_flood_of_other_addresses_neither_grows_the_table_nor_gets_an_address_refused_for_another()
    {
        var limit = new AnnounceRateLimit(1, _clock);
        // Four times as many addresses as slots, each announcing once: every bucket overflows.
        for (var i = 0; i < AnnounceRateLimit.Slots * 4; i++)
            Assert.True(limit.TryAdmit(PeerEndpoint.FromIPv4(0x0A00_0000u + (uint)i, 6881)), $"address {i} refused for another's announces");
        Assert.True(limit.TryAdmit(At("192.0.2.1")));
    }

    [Fact]
    public void Zero_is_no_limit()
    {
        var limit = new AnnounceRateLimit(0, _clock);
        Assert.False(limit.Enabled);
        for (var i = 0; i < 10_000; i++)
            Assert.True(limit.TryAdmit(At("203.0.113.7")));
    }
}
