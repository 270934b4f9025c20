using System.Net;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;

namespace OrleansTracker.Tests.Swarm;

/// <summary>
/// The compact peer storage (an IPv4 peer keeps 4 address bytes, an IPv6 peer 16, each with its
/// port) gives back exactly the address and port that announced: in the compact answers, in the
/// admin snapshot, at the edges of the address and port ranges and for IPv4-mapped IPv6.
/// </summary>
public sealed class SwarmAddressRoundTripTests
{
    private static readonly PeerEndpoint Observer = PeerEndpoint.FromIPAddress(IPAddress.Parse("10.99.99.99"), 7777);

    /// <summary>Announced as text, and what the swarm must give back (null: the same).</summary>
    public static TheoryData<string, ushort, string?> Edges => new()
    {
        { "0.0.0.0", 0, null },
        { "255.255.255.255", 65535, null },
        { "1.2.3.4", 1, null },
        { "127.0.0.1", 6881, null },
        { "::", 0, null },
        { "::1", 65535, null },
        { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535, null },
        { "2001:db8::1", 6881, null },
        // IPv4-mapped IPv6 is the IPv4 peer: stored in the 4-byte form, answered as IPv4.
        { "::ffff:1.2.3.4", 51413, "1.2.3.4" },
        { "::ffff:0.0.0.0", 0, "0.0.0.0" },
        { "::ffff:255.255.255.255", 65535, "255.255.255.255" },
        // Neighbours of the mapped prefix are real IPv6 addresses and keep all 16 bytes.
        { "::fffe:1.2.3.4", 6881, null },
        { "::1:ffff:1.2.3.4", 6881, null },
        { "::1.2.3.4", 6881, null },               // IPv4-compatible (deprecated), not mapped
        { "64:ff9b::1.2.3.4", 6881, null },        // NAT64
        { "ffff::ffff:1.2.3.4", 6881, null },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void an_address_and_port_come_back_exactly(string announced, ushort port, string? expected)
    {
        var endpoint = PeerEndpoint.FromIPAddress(IPAddress.Parse(announced), port);
        var want = PeerEndpoint.FromIPAddress(IPAddress.Parse(expected ?? announced), port);
        Assert.Equal(want.IsIPv4, IPAddress.Parse(expected ?? announced).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);

        // Without and with the peer-id table (small swarms are searched linearly).
        foreach (var others in new[] { 0, 40 })
        {
            var swarm = NewSwarm(new ManualClock());
            swarm.AddPeers(1000, others / 2);
            swarm.AddPeers(2000, others / 2, ipv6: true);
            swarm.Announce(Request(1, endpoint, numWant: 0));

            var answer = swarm.Announce(Request(2, Observer, numWant: MaxNumWant));
            var returned = answer.AllPeers().Where(p => !IsFiller(p)).ToList();
            Assert.Equal([want], returned);
            Assert.Equal(want.IsIPv4 ? 1 : 0, answer.Peers4().Count(p => !IsFiller(p)));

            var snapshot = swarm.SnapshotPeers().Single(p => p.PeerId == Id(1));
            Assert.Equal(want, snapshot.Endpoint);
            Assert.Equal(want.ToIPAddress(), snapshot.Endpoint.ToIPAddress());
            Assert.Equal(port, snapshot.Endpoint.Port);
        }
    }

    [Fact]
    public void the_compact_answer_holds_the_exact_bytes()
    {
        var swarm = NewSwarm(new ManualClock());
        swarm.Announce(Request(1, PeerEndpoint.FromIPAddress(IPAddress.Parse("::ffff:192.0.2.200"), 65535), numWant: 0));
        swarm.Announce(Request(3, PeerEndpoint.FromIPAddress(IPAddress.Parse("2001:db8:ffff::fe"), 0), numWant: 0));

        var answer = swarm.Announce(Request(2, Observer, numWant: MaxNumWant));

        Assert.Equal(new byte[] { 192, 0, 2, 200, 0xFF, 0xFF }, answer.Peers4);
        Assert.Equal(new byte[] { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0, 0 }, answer.Peers6);
    }

    [Fact]
    public void a_port_change_is_stored_exactly()
    {
        var swarm = NewSwarm(new ManualClock());
        var address = IPAddress.Parse("2001:db8::7");
        swarm.Announce(Request(1, PeerEndpoint.FromIPAddress(address, 65535), numWant: 0));
        swarm.Announce(Request(1, PeerEndpoint.FromIPAddress(address, 0), numWant: 0));

        Assert.Equal(PeerEndpoint.FromIPAddress(address, 0), Assert.Single(swarm.SnapshotPeers()).Endpoint);
    }

    // The filler peers of the larger swarm: 10.0.x.y and 2001:db8::n with the kit's port.
    private static bool IsFiller(PeerEndpoint peer)
    {
        for (var n = 1000; n < 1020; n++)
            if (peer == V4(n) || peer == V6(n + 1000))
                return true;
        return false;
    }
}
