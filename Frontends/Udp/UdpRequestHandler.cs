using System.Diagnostics;
using System.Runtime.CompilerServices;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// Turns one BEP 15 datagram into at most one response: parses it, checks its connection id, hands
/// announces and scrapes to the <see cref="ITrackerLogic"/> seam and writes what comes back.
/// Malformed packets are answered with a BEP 15 error when they carry a transaction id, and
/// dropped otherwise. A response to a sender whose connection id was not verified is never longer
/// than what it sent (no amplification).
/// </summary>
internal sealed class UdpRequestHandler : IUdpRequestHandler
{
    /// <summary>URL data read for a key: a path and query this long is far beyond any real announce URL.</summary>
    private const int MaxUrlDataLength = 512;

    private static readonly byte[] InvalidConnectionId = "invalid or expired connection id"u8.ToArray();

    private readonly ITrackerLogic _logic;
    private readonly FrontendOptions _options;
    private readonly TrackerStatistics _statistics;
    private readonly ConnectionIdIssuer _connectionIds;
    private readonly AbuseThrottle _throttle;

    public UdpRequestHandler(ITrackerLogic logic, FrontendOptions options, TrackerStatistics statistics, ConnectionIdIssuer connectionIds, AbuseThrottle throttle)
    {
        _logic = logic;
        _options = options;
        _statistics = statistics;
        _connectionIds = connectionIds;
        _throttle = throttle;
    }

    /// <summary>Largest response: an announce header plus max_numwant IPv6 peers.</summary>
    public int MaxResponseLength => 20 + _options.MaxNumWant * PeerEndpoint.CompactIPv6Length;

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
                _statistics.UdpConnected(source.IsIPv4);
                return ValueTask.FromResult(UdpResponseWriter.WriteConnect(scratch.Response, request.TransactionId, id));
            case UdpAction.Announce when _connectionIds.IsValid(request.ConnectionId, source):
                return Announce(request, packet, source, scratch);
            case UdpAction.Scrape when _connectionIds.IsValid(request.ConnectionId, source):
                return Scrape(request, packetLength, source, scratch);
            default:
                return ValueTask.FromResult(WriteThrottledError(scratch, source, packetLength, request.TransactionId, InvalidConnectionId));
        }
    }

    private ValueTask<int> Announce(in UdpRequest request, ReadOnlySpan<byte> packet, PeerEndpoint source, UdpScratch scratch)
    {
        var started = Stopwatch.GetTimestamp();
        // Private modes read the key from BEP 41 URL data (udp://host:port/announce/{key}): Torrust
        // cannot serve private trackers over UDP at all. A public tracker skips the parsing.
        Span<char> key = stackalloc char[AuthKeyText.Length + 1];
        var keyLength = 0;
        if (_logic.RequiresKey && !TryReadKey(packet, key, out keyLength))
            return ValueTask.FromResult(WriteError(scratch, packet.Length, request.TransactionId, RefusalMessages.Bytes(Refusal.KeyMalformed)));
        // The optional IP field is ignored: trusting it would let anyone inject third-party
        // addresses into swarms. The announced port is used, never the source port.
        var call = _logic.Announce(new AnnounceInput
        {
            InfoHash = request.InfoHash,
            PeerId = request.PeerId,
            Port = request.Port,
            Uploaded = request.Uploaded,
            Downloaded = request.Downloaded,
            Left = request.Left,
            Event = request.Event,
            NumWant = request.NumWant,
            Client = ClientOrigin.Datagram(source, request.ConnectionId),
            Key = key[..keyLength],
            Families = source.IsIPv4 ? PeerFamilies.IPv4 : PeerFamilies.IPv6,
        });
        if (call.Refusal != Refusal.None)
            return ValueTask.FromResult(WriteError(scratch, packet.Length, request.TransactionId, RefusalMessages.Bytes(call.Refusal)));
        return WriteAnnounce(call.Result, request.TransactionId, packet.Length, source.IsIPv4, started, scratch);
    }

    /// <summary>
    /// The key segment of /announce/{key} in the URL data, as chars (keys are ASCII). Only its first
    /// 33 bytes are copied: a longer key cannot be well formed, and the seam refuses it as such.
    /// False when the BEP 41 options are cut short.
    /// </summary>
    private static bool TryReadKey(ReadOnlySpan<byte> packet, Span<char> key, out int length)
    {
        Span<byte> urlData = stackalloc byte[MaxUrlDataLength];
        length = 0;
        if (!UdpRequestParser.TryReadUrlData(packet, urlData, out var written))
            return false;
        var found = AnnouncePathKey.Find(urlData[..written]);
        length = Math.Min(found.Length, key.Length);
        for (var i = 0; i < length; i++)
            key[i] = (char)found[i];
        return true;
    }

    // Pooled state machines: an announce that awaits its grain call allocates no box per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WriteAnnounce(ValueTask<AnnounceResult> pending, int transactionId, int packetLength, bool ipv4, long started, UdpScratch scratch)
    {
        AnnounceResult result;
        try
        {
            result = await pending;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Its silo failed or left mid-call (Orleans logs why). The connection id was valid, so
            // an error may be sent: the client retries soon instead of waiting out its timeout.
            return WriteError(scratch, packetLength, transactionId, RefusalMessages.UnavailableBytes);
        }
        if (result.PeerLimitReached)
        {
            _statistics.PeersPerAddressRefused();
            return WriteError(scratch, packetLength, transactionId, RefusalMessages.Bytes(Refusal.PeersPerAddressExceeded));
        }
        _statistics.UdpAnnounced(ipv4, started);
        return UdpResponseWriter.WriteAnnounce(
            scratch.Response, transactionId, _options.AnnounceIntervalSeconds, result.Leechers, result.Seeders, ipv4 ? result.Peers4 : result.Peers6);
    }

    private ValueTask<int> Scrape(in UdpRequest request, int packetLength, PeerEndpoint source, UdpScratch scratch)
    {
        var started = Stopwatch.GetTimestamp();
        var count = request.HashCount;
        for (var i = 0; i < count; i++)
            scratch.Hashes[i] = request.ScrapeHash(scratch.Receive.AsSpan(0, packetLength), i);
        // A BEP 15 scrape has no room for URL data, so it carries no key: a private tracker answers
        // counts only to a sender that announced with a valid key under this (verified) connection
        // id, and zeros (as for any scrape without a valid key) to everyone else, never an error.
        var call = _logic.Scrape(
            new ScrapeInput { Client = ClientOrigin.Datagram(source, request.ConnectionId) }, scratch.Hashes.AsMemory(0, count), scratch.Counts.AsMemory(0, count));
        if (call.Refusal != Refusal.None)
            return ValueTask.FromResult(WriteError(scratch, packetLength, request.TransactionId, RefusalMessages.Bytes(call.Refusal)));
        return WriteScrape(call.Completion, request.TransactionId, count, source.IsIPv4, started, scratch);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WriteScrape(ValueTask pending, int transactionId, int count, bool ipv4, long started, UdpScratch scratch)
    {
        await pending;
        _statistics.UdpScraped(ipv4, started);
        return UdpResponseWriter.WriteScrape(scratch.Response, transactionId, scratch.Counts.AsSpan(0, count));
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
