using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// Every BEP 15 message as bytes written field by field from the BEP's tables. Fixtures are chosen
/// to read as text in a hex dump: transaction id "tid!", connection id "cid!cid!", info hash
/// "hhhh…", peer 105.105.105.105:0x7070 which is "iiiipp" in compact form.
/// </summary>
public sealed class UdpGoldenVectorTests
{
    private static readonly InfoHash HashH = InfoHash.Read("hhhhhhhhhhhhhhhhhhhh"u8);
    private static readonly InfoHash HashS = InfoHash.Read("ssssssssssssssssssss"u8);

    [Fact]
    public void connect_request_is_parsed()
    {
        byte[] packet =
        [
            0x00, 0x00, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80, // protocol id 0x41727101980
            0x00, 0x00, 0x00, 0x00,                         // action 0 = connect
            (byte)'t', (byte)'i', (byte)'d', (byte)'!',     // transaction id
        ];
        Assert.True(UdpRequestParser.TryParse(packet, out var request, out _));
        Assert.Equal(new UdpRequest { Action = UdpAction.Connect, ConnectionId = UdpLayout.ProtocolId, TransactionId = 0x74696421 }, request);
    }

    [Fact]
    public void connect_response_is_written()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x00,                   // action 0 = connect
            .. "tid!"u8,                              // transaction id, echoed
            .. "cid!cid!"u8,                          // connection id
        ];
        var buffer = new byte[16];
        var n = UdpResponseWriter.WriteConnect(buffer, 0x74696421, 0x6369642163696421);
        Assert.Equal(expected, buffer[..n]);
    }

    [Fact]
    public void announce_request_is_parsed()
    {
        byte[] packet =
        [
            .. "cid!cid!"u8,                                // connection id
            0x00, 0x00, 0x00, 0x01,                         // action 1 = announce
            .. "tid!"u8,                                    // transaction id
            .. "hhhhhhhhhhhhhhhhhhhh"u8,                    // info hash
            .. "-qB4650-pppppppppppp"u8,                    // peer id
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, // downloaded 4096
            0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, // left 65536
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, // uploaded 32
            0x00, 0x00, 0x00, 0x02,                         // event 2 = started
            .. "iiii"u8,                                    // ip 105.105.105.105
            .. "key!"u8,                                    // key
            0xff, 0xff, 0xff, 0xff,                         // num_want -1 = default
            .. "pp"u8,                                      // port 0x7070
        ];
        Assert.Equal(UdpLayout.AnnounceRequestLength, packet.Length);
        Assert.True(UdpRequestParser.TryParse(packet, out var r, out _));
        Assert.Equal(new UdpRequest
        {
            Action = UdpAction.Announce,
            ConnectionId = 0x6369642163696421,
            TransactionId = 0x74696421,
            InfoHash = HashH,
            PeerId = PeerId.Read("-qB4650-pppppppppppp"u8),
            Downloaded = 4096,
            Left = 65536,
            Uploaded = 32,
            Event = AnnounceEvent.Started,
            IPv4Address = 0x69696969,
            Key = 0x6b657921,
            NumWant = -1,
            Port = 0x7070,
        }, r);
    }

    [Fact]
    public void announce_response_with_ipv4_peers_is_written()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x01,                   // action 1 = announce
            .. "tid!"u8,                              // transaction id
            0x00, 0x00, 0x07, 0x08,                   // interval 1800
            0x00, 0x00, 0x00, 0x05,                   // leechers 5
            0x00, 0x00, 0x00, 0x03,                   // seeders 3
            .. "iiiipp"u8,                            // 105.105.105.105:28784
            .. "jjjjpp"u8,                            // 106.106.106.106:28784
        ];
        var buffer = new byte[UdpResponseWriter.MaxAnnounceLength(12)];
        var n = UdpResponseWriter.WriteAnnounce(buffer, 0x74696421, 1800, 5, 3, "iiiippjjjjpp"u8);
        Assert.Equal(expected, buffer[..n]);
    }

    [Fact]
    public void announce_response_with_ipv6_peers_is_written()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x01,                   // action 1 = announce
            .. "tid!"u8,                              // transaction id
            0x00, 0x00, 0x07, 0x08,                   // interval 1800
            0x00, 0x00, 0x00, 0x00,                   // leechers 0
            0x00, 0x00, 0x00, 0x01,                   // seeders 1
            .. "iiiiiiiiiiiiiiiipp"u8,                // [6969:6969:…:6969]:28784
        ];
        var buffer = new byte[UdpResponseWriter.MaxAnnounceLength(18)];
        var n = UdpResponseWriter.WriteAnnounce(buffer, 0x74696421, 1800, 0, 1, "iiiiiiiiiiiiiiiipp"u8);
        Assert.Equal(expected, buffer[..n]);
    }

    [Fact]
    public void scrape_request_is_parsed_in_request_order()
    {
        byte[] packet =
        [
            .. "cid!cid!"u8,                          // connection id
            0x00, 0x00, 0x00, 0x02,                   // action 2 = scrape
            .. "tid!"u8,                              // transaction id
            .. "ssssssssssssssssssss"u8,              // first info hash
            .. "hhhhhhhhhhhhhhhhhhhh"u8,              // second info hash
        ];
        Assert.True(UdpRequestParser.TryParse(packet, out var r, out _));
        Assert.Equal(UdpAction.Scrape, r.Action);
        Assert.Equal(0x6369642163696421, r.ConnectionId);
        Assert.Equal(0x74696421, r.TransactionId);
        Assert.Equal(2, r.HashCount);
        Assert.Equal(HashS, r.ScrapeHash(packet, 0));
        Assert.Equal(HashH, r.ScrapeHash(packet, 1));
    }

    [Fact]
    public void scrape_response_is_written_with_completed_clamped()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x02,                   // action 2 = scrape
            .. "tid!"u8,                              // transaction id
            0x00, 0x00, 0x00, 0x03,                   // first hash: seeders 3
            0x00, 0x00, 0x00, 0x0a,                   //             completed 10
            0x00, 0x00, 0x00, 0x05,                   //             leechers 5
            0x00, 0x00, 0x00, 0x01,                   // second hash: seeders 1
            0x7f, 0xff, 0xff, 0xff,                   //              completed 2^40 clamped to int.MaxValue
            0x00, 0x00, 0x00, 0x00,                   //              leechers 0
        ];
        var buffer = new byte[UdpResponseWriter.MaxScrapeLength(2)];
        var n = UdpResponseWriter.WriteScrape(buffer, 0x74696421, [new SwarmCounts(3, 5, 10), new SwarmCounts(1, 0, 1L << 40)]);
        Assert.Equal(expected, buffer[..n]);
    }

    [Fact]
    public void error_response_is_written()
    {
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x03,                   // action 3 = error
            .. "tid!"u8,                              // transaction id
            .. "no info hashes"u8,                    // message, no terminator
        ];
        var buffer = new byte[UdpResponseWriter.MaxErrorLength(14)];
        var n = UdpResponseWriter.WriteError(buffer, 0x74696421, "no info hashes"u8);
        Assert.Equal(expected, buffer[..n]);
    }

    /// <summary>
    /// BEP 21: libtorrent announces a torrent that is finished but not a full seed (some files
    /// unticked) with event 4, "paused". It is a regular announce, never an error.
    /// </summary>
    [Fact]
    public void partial_seed_announce_with_event_4_is_a_regular_announce()
    {
        byte[] packet =
        [
            .. "cid!cid!"u8,                                // connection id
            0x00, 0x00, 0x00, 0x01,                         // action 1 = announce
            .. "tid!"u8,                                    // transaction id
            .. "hhhhhhhhhhhhhhhhhhhh"u8,                    // info hash
            .. "-LT2080-pppppppppppp"u8,                    // peer id
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, // downloaded 32768
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, // left 32768 (the unticked file)
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // uploaded 0
            0x00, 0x00, 0x00, 0x04,                         // event 4 = paused (BEP 21)
            0x00, 0x00, 0x00, 0x00,                         // ip 0 = the packet's source
            .. "key!"u8,                                    // key
            0x00, 0x00, 0x00, 0xc8,                         // num_want 200
            .. "pp"u8,                                      // port 0x7070
        ];
        Assert.True(UdpRequestParser.TryParse(packet, out var r, out var error), error.Kind.ToString());
        Assert.Equal(new UdpRequest
        {
            Action = UdpAction.Announce,
            ConnectionId = 0x6369642163696421,
            TransactionId = 0x74696421,
            InfoHash = HashH,
            PeerId = PeerId.Read("-LT2080-pppppppppppp"u8),
            Downloaded = 32768,
            Left = 32768,
            Uploaded = 0,
            Event = AnnounceEvent.None,
            Key = 0x6b657921,
            NumWant = 200,
            Port = 0x7070,
        }, r);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void announce_with_an_unknown_event_is_a_regular_announce(int wireEvent)
    {
        var packet = UdpRequestEncoder.Announce(new UdpRequest { ConnectionId = 7, TransactionId = 0x74696421, Left = 9 });
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(UdpLayout.EventOffset), wireEvent);
        Assert.True(UdpRequestParser.TryParse(packet, out var r, out _));
        Assert.Equal((AnnounceEvent.None, 9L), (r.Event, r.Left));
    }

    [Fact]
    public void connect_without_protocol_id_is_dropped()
    {
        var packet = UdpRequestEncoder.Connect(1);
        packet[7] ^= 1;
        Assert.False(UdpRequestParser.TryParse(packet, out _, out var error));
        Assert.False(error.AllowsErrorResponse);
        Assert.Equal(UdpParseErrorKind.BadProtocolId, error.Kind);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(-1)]
    public void unknown_or_error_action_is_dropped(int action)
    {
        var packet = UdpRequestEncoder.Connect(1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), action);
        Assert.False(UdpRequestParser.TryParse(packet, out _, out var error));
        Assert.Equal(UdpParseErrorKind.UnknownAction, error.Kind);
        Assert.False(error.AllowsErrorResponse);
    }

    [Theory]
    [InlineData(0, UdpParseErrorKind.NoInfoHashes)]
    [InlineData(20 * 74, UdpParseErrorKind.None)]
    [InlineData(20 * 75, UdpParseErrorKind.TooManyInfoHashes)]
    [InlineData(39, UdpParseErrorKind.MalformedScrape)]
    [InlineData(41, UdpParseErrorKind.MalformedScrape)]
    public void scrape_hash_count_is_checked(int bodyLength, UdpParseErrorKind expected)
    {
        var packet = new byte[16 + bodyLength];
        packet[11] = 2;
        var ok = UdpRequestParser.TryParse(packet, out _, out var error);
        Assert.Equal(expected == UdpParseErrorKind.None, ok);
        Assert.Equal(expected, error.Kind);
        Assert.Equal(!ok, error.AllowsErrorResponse);
    }
}
