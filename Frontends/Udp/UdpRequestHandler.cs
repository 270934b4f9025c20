using System.Diagnostics;
using System.Runtime.CompilerServices;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// Turns one BEP 15 datagram into at most one response. Malformed packets are answered with a BEP 15
/// error when they carry a transaction id, and dropped otherwise. A response to a sender whose
/// connection id was not verified is never longer than what it sent (no amplification).
/// </summary>
internal sealed class UdpRequestHandler : IUdpRequestHandler
{
    /// <summary>URL data read for a key: a path and query this long is far beyond any real announce URL.</summary>
    private const int MaxUrlDataLength = 512;

    private static readonly byte[] InvalidConnectionId = "invalid or expired connection id"u8.ToArray();

    private readonly TrackerLogic _gateway;
    private readonly ConnectionIdIssuer _connectionIds;
    private readonly AbuseThrottle _throttle;

    public UdpRequestHandler(TrackerLogic gateway, ConnectionIdIssuer connectionIds, AbuseThrottle throttle)
    {
        _gateway = gateway;
        _connectionIds = connectionIds;
        _throttle = throttle;
    }

    /// <summary>Largest response: an announce header plus max_numwant IPv6 peers.</summary>
    public int MaxResponseLength => 20 + _gateway.Options.MaxNumWant * PeerEndpoint.CompactIPv6Length;

    /// <summary>Handles one datagram; returns the response's length in <paramref name="scratch"/>'s response buffer, 0 to drop.</summary>
    public ValueTask<int> Handle(int packetLength, PeerEndpoint source, UdpScratch scratch)
    {
        var packet = scratch.Receive.AsSpan(0, packetLength);
        if (!UdpRequestParser.TryParse(packet, out var request, out var error))
            return ValueTask.FromResult(error.AllowsErrorResponse ? WriteThrottledError(scratch, source, packetLength, request.TransactionId, error.Message) : 0);

        switch (request.Action)
        {
            case UdpAction.Connect:
                var id = _connectionIds.Issue(source);
                _gateway.Statistics.UdpConnected(source.IsIPv4);
                return ValueTask.FromResult(UdpResponseWriter.WriteConnect(scratch.Response, request.TransactionId, id));
            case UdpAction.Announce when _connectionIds.IsValid(request.ConnectionId, source):
                var denial = CheckAccess(request, packet);
                return denial == Refusal.None
                    ? Announce(request, source, scratch)
                    : ValueTask.FromResult(WriteError(scratch, packetLength, request.TransactionId, RefusalMessages.Bytes(denial)));
            case UdpAction.Scrape when _connectionIds.IsValid(request.ConnectionId, source):
                return Scrape(request, packetLength, source.IsIPv4, scratch);
            default:
                return ValueTask.FromResult(WriteThrottledError(scratch, source, packetLength, request.TransactionId, InvalidConnectionId));
        }
    }

    /// <summary>
    /// Private modes read the key from BEP 41 URL data (<c>udp://host:port/announce/{key}</c>):
    /// Torrust cannot serve private trackers over UDP at all. A public tracker skips the parsing.
    /// </summary>
    private Refusal CheckAccess(in UdpRequest request, ReadOnlySpan<byte> packet)
    {
        var access = _gateway.Access;
        if (!access.RequiresKey)
            return access.CheckTorrent(request.InfoHash);
        Span<byte> urlData = stackalloc byte[MaxUrlDataLength];
        if (!UdpRequestParser.TryReadUrlData(packet, urlData, out var written))
            return Refusal.KeyMalformed;
        return access.CheckAnnounce(request.InfoHash, AnnouncePathKey.Find(urlData[..written]));
    }

    // Pooled state machines: an announce that awaits its grain call allocates no box per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> Announce(UdpRequest request, PeerEndpoint source, UdpScratch scratch)
    {
        // The optional IP field is ignored: trusting it would let anyone inject third-party
        // addresses into swarms. The announced port is used, never the source port.
        var started = Stopwatch.GetTimestamp();
        var peer = _gateway.ResolvePeer(source.WithPort(request.Port));
        var announce = new AnnounceRequest(
            request.PeerId, peer, request.Uploaded, request.Downloaded, request.Left, request.Event, request.NumWant,
            source.IsIPv4 ? PeerFamilies.IPv4 : PeerFamilies.IPv6, IncludePeerIds: false);
        var result = await _gateway.Announce(request.InfoHash, announce);
        _gateway.Statistics.UdpAnnounced(source.IsIPv4, started);
        var peers = source.IsIPv4 ? result.Peers4 : result.Peers6;
        return UdpResponseWriter.WriteAnnounce(
            scratch.Response, request.TransactionId, _gateway.Options.AnnounceIntervalSeconds, result.Leechers, result.Seeders, peers);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> Scrape(UdpRequest request, int packetLength, bool ipv4, UdpScratch scratch)
    {
        var started = Stopwatch.GetTimestamp();
        var count = request.HashCount;
        for (var i = 0; i < count; i++)
            scratch.Hashes[i] = request.ScrapeHash(scratch.Receive.AsSpan(0, packetLength), i);
        // A BEP 15 scrape has no room for URL data, so it can carry no key: a private tracker
        // answers zeros (as for any scrape without a valid key), never an error.
        var keyCheck = _gateway.Access.RequiresKey ? Refusal.KeyMissing : Refusal.None;
        await _gateway.Scrape(scratch.Hashes.AsMemory(0, count), scratch.Counts.AsMemory(0, count), keyCheck);
        _gateway.Statistics.UdpScraped(ipv4, started);
        return UdpResponseWriter.WriteScrape(scratch.Response, request.TransactionId, scratch.Counts.AsSpan(0, count));
    }

    /// <summary>
    /// Junk (a malformed packet, a forged, expired or replayed connection id) is answered with an
    /// error until its address has sent too many, then dropped silently for the rest of the window.
    /// Only errors are throttled: a connect, or a request with a valid connection id (proof that
    /// the source is not spoofed), is always served, so spoofed floods that fill the throttle's
    /// table cannot lock real clients out, and good traffic never pays for the lookup.
    /// </summary>
    private int WriteThrottledError(UdpScratch scratch, PeerEndpoint source, int requestLength, int transactionId, ReadOnlySpan<byte> message)
    {
        if (_throttle.IsBlocked(source))
            return 0;
        _throttle.RecordFailure(source);
        return WriteError(scratch, requestLength, transactionId, message);
    }

    private static int WriteError(UdpScratch scratch, int requestLength, int transactionId, ReadOnlySpan<byte> message)
    {
        // 8 bytes of header: never answer an unverified sender with more than it sent.
        var room = requestLength - 8;
        if (room <= 0)
            return 0;
        return UdpResponseWriter.WriteError(scratch.Response, transactionId, message[..Math.Min(message.Length, room)]);
    }
}
