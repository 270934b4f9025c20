using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansTracker.Frontends;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Logic;
using OrleansTracker.Tests.Protocol;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Udp;

/// <summary>
/// The BEP 15 handler on its own, with a fake seam: connection ids, amplification, the junk
/// throttle, refusals, and what it hands to the seam and writes back.
/// </summary>
public sealed class UdpRequestHandlerTests
{
    private const int ThrottleLimit = 3;
    private static readonly PeerEndpoint Client = PeerEndpoint.FromIPAddress(IPAddress.Parse("198.51.100.7"), 40000);
    private static readonly PeerEndpoint Client6 = PeerEndpoint.FromIPAddress(IPAddress.Parse("2001:db8::7"), 40000);
    private static readonly InfoHash Hash = InfoHash.Read("hhhhhhhhhhhhhhhhhhhh"u8);

    private readonly ManualClock _clock = new();
    private readonly FakeTrackerLogic _logic = new();
    private readonly TrackerStatistics _statistics = new();
    private readonly ConnectionIdIssuer _connectionIds;
    private readonly UdpRequestHandler _handler;
    private readonly UdpScratch _scratch;

    public UdpRequestHandlerTests()
    {
        _connectionIds = new ConnectionIdIssuer(new byte[16], _clock);
        var options = new FrontendOptions { AnnounceIntervalSeconds = 1800, MaxNumWant = 10 };
        _handler = new UdpRequestHandler(_logic, options, _statistics, _connectionIds, new AbuseThrottle(ThrottleLimit, TimeSpan.FromSeconds(60), _clock));
        _scratch = new UdpScratch(AddressFamily.InterNetworkV6, _handler.MaxResponseLength);
    }

    [Fact]
    public async Task connect_issues_an_id_that_announces_from_the_same_address_pass()
    {
        var response = await Send(UdpRequestEncoder.Connect(0x74696421), Client);
        Assert.Equal(16, response.Length);
        Assert.Equal((0, 0x74696421), (BinaryPrimitives.ReadInt32BigEndian(response), BinaryPrimitives.ReadInt32BigEndian(response.AsSpan(4))));
        var id = BinaryPrimitives.ReadInt64BigEndian(response.AsSpan(8));
        Assert.True(_connectionIds.IsValid(id, Client));
        Assert.False(_connectionIds.IsValid(id, Client6));
        Assert.Equal(1, _statistics.Snapshot().Udp4Connections);
    }

    [Fact]
    public async Task an_admitted_announce_hands_the_seam_the_wire_fields_and_writes_its_result()
    {
        _logic.Result = new AnnounceResult(Seeders: 3, Leechers: 5, Completed: 9, Peers4: [105, 105, 105, 105, 0x70, 0x70], Peers6: new byte[18], PeerIds: []);
        var packet = Announce(Client, r => r with { Left = 77, Event = AnnounceEvent.Started, NumWant = 4, Port = 6881, IPv4Address = 0x01020304 });

        var response = await Send(packet, Client);

        var seen = Assert.Single(_logic.Announces);
        Assert.Equal((Hash, (ushort)6881, 77L, AnnounceEvent.Started, 4), (seen.InfoHash, seen.Port, seen.Left, seen.Event, seen.NumWant));
        Assert.Equal(Client, seen.Source);
        Assert.False(seen.OverHttp);
        Assert.Equal("", seen.Key);
        Assert.Equal(PeerFamilies.IPv4, seen.Families);
        byte[] expected = [0, 0, 0, 1, .. "tid!"u8, 0, 0, 0x07, 0x08, 0, 0, 0, 5, 0, 0, 0, 3, .. "iiiipp"u8];
        Assert.Equal(expected, response);
        Assert.Equal(1, _statistics.Snapshot().Udp4Announces);
    }

    [Fact]
    public async Task an_ipv6_client_gets_ipv6_peers()
    {
        _logic.Result = new AnnounceResult(1, 0, 0, [105, 105, 105, 105, 0x70, 0x70], [.. Enumerable.Repeat((byte)'6', 18)], []);
        var response = await Send(Announce(Client6), Client6);
        Assert.Equal(PeerFamilies.IPv6, Assert.Single(_logic.Announces).Families);
        Assert.Equal(Enumerable.Repeat((byte)'6', 18), response[20..]);
    }

    [Fact]
    public async Task a_refused_announce_gets_the_refusal_as_a_bep15_error_every_time()
    {
        _logic.Refuse = Refusal.NotWhitelisted;
        var packet = Announce(Client);
        // A sender with a valid connection id is not junk: refusals are never throttled.
        for (var i = 0; i < ThrottleLimit + 3; i++)
        {
            var response = await Send(packet, Client);
            Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(response));
            Assert.Equal("torrent not whitelisted", Encoding.ASCII.GetString(response.AsSpan(8)));
            Assert.True(response.Length <= packet.Length);
        }
        Assert.Equal(0, _statistics.Snapshot().Udp4Announces);
    }

    [Fact]
    public async Task a_forged_connection_id_is_answered_no_longer_than_the_request_then_silenced()
    {
        var scrape = UdpRequestEncoder.Scrape(12345, 0x74696421, [Hash]);
        for (var i = 0; i < ThrottleLimit; i++)
        {
            var response = await Send(scrape, Client);
            Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(response));
            Assert.True(response.Length <= scrape.Length, $"{response.Length} bytes for a {scrape.Length}-byte request");
        }
        Assert.Empty(await Send(scrape, Client));
        Assert.Empty(_logic.Scrapes);
        // Another address is not silenced, and a connect is always served.
        Assert.NotEmpty(await Send(scrape, Client6));
        Assert.Equal(16, (await Send(UdpRequestEncoder.Connect(1), Client)).Length);
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.NotEmpty(await Send(scrape, Client));
    }

    [Theory]
    [InlineData(16)] // a bare header: no room for any message
    [InlineData(17)]
    [InlineData(40)]
    [InlineData(97)]
    public async Task a_malformed_announce_is_never_answered_with_more_than_it_sent(int length)
    {
        var packet = Announce(Client)[..length];
        var response = await Send(packet, Client);
        Assert.True(response.Length <= length, $"{response.Length} bytes for {length}");
        if (length > 16)
            Assert.Equal("malformed announce"[..Math.Min(18, length - 8)], Encoding.ASCII.GetString(response.AsSpan(8)));
        Assert.Empty(_logic.Announces);
    }

    [Fact]
    public async Task a_private_tracker_hands_the_key_from_the_url_data_to_the_seam()
    {
        _logic.RequiresKey = true;
        var path = "/announce/ABCDEFGHIJKLMNOPQRSTUVWXYZ012345?x=1"u8;
        await Send(Announce(Client, options: [2, (byte)path.Length, .. path]), Client);
        Assert.Equal("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", Assert.Single(_logic.Announces).Key);
    }

    [Fact]
    public async Task a_private_tracker_refuses_cut_url_data_as_a_malformed_key_without_the_seam()
    {
        _logic.RequiresKey = true;
        var response = await Send(Announce(Client, options: [2, 40, .. "/announce/"u8]), Client);
        Assert.Equal("malformed authentication key: expected 32 letters and digits", Encoding.ASCII.GetString(response.AsSpan(8)));
        Assert.Empty(_logic.Announces);
    }

    [Fact]
    public async Task a_public_tracker_does_not_read_url_data()
    {
        await Send(Announce(Client, options: [2, 40, .. "/announce/"u8]), Client);
        Assert.Equal("", Assert.Single(_logic.Announces).Key);
    }

    [Fact]
    public async Task a_scrape_hands_the_hashes_and_no_key_to_the_seam_and_writes_counts_in_order()
    {
        var other = InfoHash.Read("ssssssssssssssssssss"u8);
        _logic.Counts = h => h == Hash ? new SwarmCounts(3, 5, 10) : new SwarmCounts(1, 0, 2);
        var response = await Send(UdpRequestEncoder.Scrape(Connect(Client), 0x74696421, [Hash, other, Hash]), Client);
        var seen = Assert.Single(_logic.Scrapes);
        Assert.Equal([Hash, other, Hash], seen.Hashes);
        Assert.Equal(("", Client), (seen.Key, seen.Source));
        byte[] expected = [0, 0, 0, 2, .. "tid!"u8, 0, 0, 0, 3, 0, 0, 0, 10, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 10, 0, 0, 0, 5];
        Assert.Equal(expected, response);
    }

    [Fact]
    public async Task a_pending_call_completes_the_response_later_and_a_failed_one_is_answered_temporarily_unavailable()
    {
        var gate = new TaskCompletionSource();
        _logic.Gate = gate.Task;
        var packet = Announce(Client);
        packet.CopyTo(_scratch.Receive, 0);
        var pending = _handler.Handle(packet.Length, Client, _scratch);
        Assert.False(pending.IsCompleted);
        gate.SetResult();
        Assert.Equal(20, await pending);

        _logic.Gate = null;
        _logic.Failure = new TimeoutException("silo gone");
        // The silo of the torrent failed mid-call: the client hears so at once (BEP 15 error,
        // action 3, same transaction) and retries, instead of waiting out its timeout.
        var answer = await Send(packet, Client);
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(answer));
        Assert.Equal(0x74696421, BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(4)));
        Assert.Equal("tracker temporarily unavailable", Encoding.UTF8.GetString(answer.AsSpan(8)));
    }

    private long Connect(PeerEndpoint source) => _connectionIds.Issue(source);

    private byte[] Announce(PeerEndpoint source, Func<UdpRequest, UdpRequest>? change = null, byte[]? options = null)
    {
        var request = new UdpRequest { ConnectionId = Connect(source), TransactionId = 0x74696421, InfoHash = Hash, NumWant = -1, Port = 1 };
        return UdpRequestEncoder.Announce(change is null ? request : change(request), options);
    }

    private async Task<byte[]> Send(byte[] packet, PeerEndpoint source)
    {
        packet.CopyTo(_scratch.Receive, 0);
        var length = await _handler.Handle(packet.Length, source, _scratch);
        return _scratch.Response[..length];
    }
}
