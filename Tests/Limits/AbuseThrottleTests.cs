using System.Net;
using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Limits;

public sealed class AbuseThrottleTests
{
    private readonly ManualClock _clock = new();

    private static PeerEndpoint At(string address, ushort port = 6881) => PeerEndpoint.FromIPAddress(IPAddress.Parse(address), port);

    [Fact]
    public void an_address_is_silenced_after_the_limit_until_the_window_ends()
    {
        var throttle = new AbuseThrottle(3, TimeSpan.FromSeconds(60), _clock);
        var attacker = At("203.0.113.7");
        for (var i = 0; i < 3; i++)
        {
            Assert.False(throttle.IsBlocked(attacker));
            throttle.RecordFailure(attacker);
        }
        Assert.True(throttle.IsBlocked(attacker));
        Assert.True(throttle.IsBlocked(At("203.0.113.7", 9999)), "another port of the same address");
        Assert.False(throttle.IsBlocked(At("203.0.113.8")));

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(throttle.IsBlocked(attacker));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttle.IsBlocked(attacker));
        throttle.RecordFailure(attacker);
        Assert.False(throttle.IsBlocked(attacker), "a new window starts from one failure");
    }

    [Fact]
    public void failures_spread_over_windows_never_add_up()
    {
        var throttle = new AbuseThrottle(3, TimeSpan.FromSeconds(60), _clock);
        var client = At("198.51.100.1");
        for (var i = 0; i < 10; i++)
        {
            throttle.RecordFailure(client);
            throttle.RecordFailure(client);
            _clock.Advance(TimeSpan.FromSeconds(61));
            Assert.False(throttle.IsBlocked(client));
        }
    }

    [Fact]
    public void ipv6_addresses_of_one_64_prefix_share_a_counter()
    {
        var throttle = new AbuseThrottle(2, TimeSpan.FromSeconds(60), _clock);
        throttle.RecordFailure(At("2001:db8:1:2::1"));
        throttle.RecordFailure(At("2001:db8:1:2:ffff::9"));
        Assert.True(throttle.IsBlocked(At("2001:db8:1:2::abcd")));
        Assert.False(throttle.IsBlocked(At("2001:db8:1:3::1")));
    }

    [Fact]
    public void limit_zero_never_blocks()
    {
        var throttle = new AbuseThrottle(0, TimeSpan.FromSeconds(60), _clock);
        for (var i = 0; i < 100; i++)
            throttle.RecordFailure(At("192.0.2.1"));
        Assert.False(throttle.IsBlocked(At("192.0.2.1")));
    }

    [Fact]
    public void a_million_addresses_leave_innocent_ones_mostly_unblocked_and_use_no_more_memory()
    {
        var throttle = new AbuseThrottle(10, TimeSpan.FromSeconds(60), _clock);
        // Warm up first, on other addresses: one-time work on this thread (tiering of the loop and
        // its callees) must not count as the table's memory. It once did, under load.
        for (uint i = 0; i < 100_000; i++)
            throttle.RecordFailure(PeerEndpoint.FromIPv4(0x0B000000 + i, 1));
        var next = 0x0A000000u;
        ThreadAllocations.AssertNothingPerCall(200_000, () => throttle.RecordFailure(PeerEndpoint.FromIPv4(next++, 1)));
        // 1M addresses once each over 65,536 slots: ~15 per slot, so a spread attack blocks many
        // slots for one window; what matters is that the table did not grow. A fresh window clears it.
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.False(throttle.IsBlocked(At("192.0.2.1")));
    }
}
