using System.Buffers.Binary;
using System.Net;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>BEP 15 over real UDP sockets against the real tracker process, IPv4 and IPv6.</summary>
public sealed class UdpEndToEndTests(PublicTrackerFixture fixture) : IClassFixture<PublicTrackerFixture>
{
    private IPEndPoint V4 => new(IPAddress.Loopback, fixture.Tracker.Ports.Udp);
    private IPEndPoint V6 => new(IPAddress.IPv6Loopback, fixture.Tracker.Ports.Udp);

    [Fact]
    public async Task connect_announce_scrape_over_ipv4_gives_exact_counts_and_peers()
    {
        var hash = TestPeers.NewInfoHash();
        using var leecher = new UdpTrackerClient(V4);
        using var seeder = new UdpTrackerClient(V4);
        await leecher.ConnectAsync();
        await seeder.ConnectAsync();

        var first = await leecher.AnnounceAsync(hash, TestPeers.NewPeerId(), 6881, left: 1000, udpEvent: 2);
        Assert.Equal(120, first.Interval);
        Assert.Equal(1, first.Leechers);
        Assert.Equal(0, first.Seeders);
        Assert.Empty(first.Peers);

        var second = await seeder.AnnounceAsync(hash, TestPeers.NewPeerId(), 6882, left: 0, udpEvent: 2);
        Assert.Equal(1, second.Leechers);
        Assert.Equal(1, second.Seeders);
        // The dual-stack [::] socket saw ::ffff:127.0.0.1 and must hand back a plain IPv4 peer.
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 6881)], second.Peers);

        var scrape = await leecher.ScrapeAsync(hash);
        Assert.Equal((1, 0, 1), scrape[0]);
    }

    [Fact]
    public async Task completed_is_counted_once_and_turns_the_leecher_into_a_seeder()
    {
        var hash = TestPeers.NewInfoHash();
        var peerId = TestPeers.NewPeerId();
        using var client = new UdpTrackerClient(V4);
        await client.ConnectAsync();
        await client.AnnounceAsync(hash, peerId, 7000, left: 500, udpEvent: 2);
        var completed = await client.AnnounceAsync(hash, peerId, 7000, left: 0, udpEvent: 1);
        Assert.Equal(1, completed.Seeders);
        Assert.Equal(0, completed.Leechers);
        await client.AnnounceAsync(hash, peerId, 7000, left: 0, udpEvent: 1);
        Assert.Equal((1, 1, 0), (await client.ScrapeAsync(hash))[0]);

        await client.AnnounceAsync(hash, peerId, 7000, left: 0, udpEvent: 3);
        Assert.Equal((0, 1, 0), (await client.ScrapeAsync(hash))[0]);
    }

    /// <summary>BEP 21: libtorrent's partial seed (finished, files unticked) announces with event 4, "paused".</summary>
    [Theory]
    [InlineData(4)]
    [InlineData(77)]
    public async Task an_announce_with_event_paused_or_unknown_is_a_regular_announce(int wireEvent)
    {
        var hash = TestPeers.NewInfoHash();
        var partialSeed = TestPeers.NewPeerId();
        using var client = new UdpTrackerClient(V4);
        await client.ConnectAsync();
        await client.AnnounceAsync(hash, TestPeers.NewPeerId(), 8001, left: 0);
        await client.AnnounceAsync(hash, partialSeed, 8002, left: 100, udpEvent: 2);
        var answer = await client.AnnounceAsync(hash, partialSeed, 8002, left: 100, udpEvent: wireEvent);
        Assert.Equal((1, 1), (answer.Seeders, answer.Leechers));
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 8001)], answer.Peers);
    }

    [Fact]
    public async Task ipv6_clients_get_ipv6_peers_and_ipv4_clients_do_not()
    {
        var hash = TestPeers.NewInfoHash();
        using var six = new UdpTrackerClient(V6);
        using var sixToo = new UdpTrackerClient(V6);
        using var four = new UdpTrackerClient(V4);
        await six.ConnectAsync();
        await sixToo.ConnectAsync();
        await four.ConnectAsync();

        await six.AnnounceAsync(hash, TestPeers.NewPeerId(), 6000, left: 10);
        var fromFour = await four.AnnounceAsync(hash, TestPeers.NewPeerId(), 6001, left: 10);
        Assert.Empty(fromFour.Peers);
        Assert.Equal(2, fromFour.Leechers);

        var fromSix = await sixToo.AnnounceAsync(hash, TestPeers.NewPeerId(), 6002, left: 10);
        Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 6000)], fromSix.Peers);
    }

    [Fact]
    public async Task scrape_answers_in_request_order()
    {
        var busy = TestPeers.NewInfoHash();
        var unknown = TestPeers.NewInfoHash();
        using var client = new UdpTrackerClient(V4);
        await client.ConnectAsync();
        await client.AnnounceAsync(busy, TestPeers.NewPeerId(), 1, left: 0);
        await client.AnnounceAsync(busy, TestPeers.NewPeerId(), 2, left: 0);
        await client.AnnounceAsync(busy, TestPeers.NewPeerId(), 3, left: 9);

        var answer = await client.ScrapeAsync(unknown, busy, unknown);
        Assert.Equal([(0, 0, 0), (2, 0, 1), (0, 0, 0)], answer);
    }

    [Fact]
    public async Task numwant_is_honoured_below_the_cap()
    {
        var hash = TestPeers.NewInfoHash();
        using var client = new UdpTrackerClient(V4);
        await client.ConnectAsync();
        for (ushort port = 1; port <= 10; port++)
            await client.AnnounceAsync(hash, TestPeers.NewPeerId(), port, left: 0);
        var answer = await client.AnnounceAsync(hash, TestPeers.NewPeerId(), 100, left: 5, numWant: 3);
        Assert.Equal(3, answer.Peers.Count);
        Assert.Equal(3, answer.Peers.Distinct().Count());
    }

    [Fact]
    public async Task forged_connection_id_is_rejected_with_an_answer_no_longer_than_the_request()
    {
        using var client = new UdpTrackerClient(V4);
        await client.ConnectAsync();
        var forged = new byte[98];
        BinaryPrimitives.WriteInt64BigEndian(forged, client.ConnectionId ^ 0x5555);
        BinaryPrimitives.WriteInt32BigEndian(forged.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32BigEndian(forged.AsSpan(12), 4242);
        var answer = await client.SendRawAsync(forged);
        Assert.NotNull(answer);
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(answer));
        Assert.Equal(4242, BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(4)));
        Assert.True(answer.Length <= forged.Length);

        var scrape = new byte[36];
        BinaryPrimitives.WriteInt64BigEndian(scrape, 12345);
        BinaryPrimitives.WriteInt32BigEndian(scrape.AsSpan(8), 2);
        var scrapeAnswer = await client.SendRawAsync(scrape);
        Assert.NotNull(scrapeAnswer);
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(scrapeAnswer));
        Assert.True(scrapeAnswer.Length <= scrape.Length);
    }

    [Fact]
    public async Task garbage_is_dropped_or_answered_and_the_tracker_keeps_serving()
    {
        using var client = new UdpTrackerClient(V4, TimeSpan.FromMilliseconds(200));
        var random = new Random(1234);
        for (var length = 0; length <= 120; length++)
        {
            var packet = new byte[length];
            random.NextBytes(packet);
            var answer = await client.SendRawAsync(packet, TimeSpan.FromMilliseconds(20));
            if (answer is not null)
                Assert.True(answer.Length <= length, $"{answer.Length}-byte answer to {length} bytes");
        }
        using var fresh = new UdpTrackerClient(V4);
        await fresh.ConnectAsync();
        var ok = await fresh.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 1, left: 1);
        Assert.Equal(1, ok.Leechers);
    }
}
