using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Http;

/// <summary>
/// BEP 3 announce and scrape over HTTP(S): parses the request, hands it to the
/// <see cref="ITrackerLogic"/> seam and writes the bencoded response. Parameters are read from the
/// raw query so binary info_hash and peer_id survive; every bad request is answered 200 with a
/// bencoded failure reason.
/// </summary>
public sealed class HttpTrackerHandler
{

    private readonly ITrackerLogic _logic;
    private readonly FrontendOptions _options;
    private readonly TrackerStatistics _statistics;
    private readonly ILogger<HttpTrackerHandler> _logger;

    public HttpTrackerHandler(ITrackerLogic logic, IOptions<FrontendOptions> options, TrackerStatistics statistics, ILogger<HttpTrackerHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logic = logic;
        _options = options.Value;
        _statistics = statistics;
        _logger = logger;
    }

    public async Task Announce(HttpContext context, string? key)
    {
        var started = Stopwatch.GetTimestamp();
        if (!HttpRequestParser.TryParseAnnounce(RawQuery(context), out var request, out var failure))
        {
            await WriteFailure(context, failure);
            return;
        }
        var call = StartAnnounce(context, request, key);
        if (call.Refusal != Refusal.None)
        {
            await WriteFailure(context, RefusalMessages.Text(call.Refusal));
            return;
        }
        AnnounceResult result;
        try
        {
            result = await call.Result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogDebug(e, "announce failed");
            await WriteFailure(context, RefusalMessages.Unavailable);
            return;
        }
        if (result.PeerLimitReached)
        {
            _statistics.PeersPerAddressRefused();
            await WriteFailure(context, RefusalMessages.Text(Refusal.PeersPerAddressExceeded));
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(request.Compact
            ? HttpResponseWriter.MaxAnnounceCompactLength(result.Peers4Count, result.Peers6Count)
            : HttpResponseWriter.MaxAnnounceNonCompactLength(result.Peers4Count, result.Peers6Count));
        try
        {
            var length = request.Compact
                ? HttpResponseWriter.WriteAnnounceCompact(buffer, _options.AnnounceIntervalSeconds, _options.AnnounceIntervalMinSeconds,
                    result.Seeders, result.Leechers, result.Completed, result.Peers4, result.Peers6)
                : HttpResponseWriter.WriteAnnounceNonCompact(buffer, _options.AnnounceIntervalSeconds, _options.AnnounceIntervalMinSeconds,
                    result.Seeders, result.Leechers, result.Completed, result.Peers4, result.Peers6, result.PeerIds, request.NoPeerId);
            _statistics.HttpAnnounced(call.Peer.IsIPv4, started);
            await WriteBody(context, buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Not async: the seam's inputs are spans into this request, built and handed over here.
    private AnnounceCall StartAnnounce(HttpContext context, in HttpAnnounceRequest request, string? key) =>
        _logic.Announce(new AnnounceInput
        {
            InfoHash = request.InfoHash,
            PeerId = request.PeerId,
            Port = request.Port,
            Uploaded = request.Uploaded,
            Downloaded = request.Downloaded,
            Left = request.Left,
            Event = request.Event,
            NumWant = request.NumWant,
            Client = Origin(context),
            Key = key,
            Families = PeerFamilies.Both,
            IncludePeerIds = !request.Compact && !request.NoPeerId,
        });

    public async Task Scrape(HttpContext context, string? key)
    {
        var started = Stopwatch.GetTimestamp();
        var hashes = new InfoHash[_options.MaxScrapeHashes];
        if (!HttpRequestParser.TryParseScrape(RawQuery(context), hashes, out var count, out _, out var failure))
        {
            await WriteFailure(context, failure);
            return;
        }
        var counts = new SwarmCounts[count];
        var call = StartScrape(context, key, hashes.AsMemory(0, count), counts);
        if (call.Refusal != Refusal.None)
        {
            await WriteFailure(context, RefusalMessages.Text(call.Refusal));
            return;
        }
        try
        {
            await call.Completion;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogDebug(e, "scrape failed");
            await WriteFailure(context, RefusalMessages.Unavailable);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(HttpResponseWriter.MaxScrapeLength(count));
        try
        {
            var length = HttpResponseWriter.WriteScrape(buffer, hashes.AsSpan(0, count), counts);
            _statistics.HttpScraped(call.Client.IsIPv4, started);
            await WriteBody(context, buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ScrapeCall StartScrape(HttpContext context, string? key, ReadOnlyMemory<InfoHash> hashes, Memory<SwarmCounts> counts) =>
        _logic.Scrape(new ScrapeInput { Client = Origin(context), Key = key }, hashes, counts);

    /// <summary>
    /// The connection's address and the last X-Forwarded-For field (a proxy appends its own); which
    /// of them counts is the seam's rule.
    /// </summary>
    private static ClientOrigin Origin(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        var forwarded = context.Request.Headers["X-Forwarded-For"];
        return ClientOrigin.Http(
            remote is null ? null : PeerEndpoint.FromIPAddress(remote, 0),
            forwarded.Count == 0 ? default : forwarded[^1].AsSpan());
    }

    private static ReadOnlySpan<char> RawQuery(HttpContext context)
    {
        var query = context.Request.QueryString.Value;
        return string.IsNullOrEmpty(query) ? [] : query.AsSpan(1);
    }

    private static Task WriteFailure(HttpContext context, string reason)
    {
        var buffer = new byte[HttpResponseWriter.MaxFailureLength(reason)];
        var length = HttpResponseWriter.WriteFailure(buffer, reason);
        return WriteBody(context, buffer.AsMemory(0, length));
    }

    /// <summary>Plain bencode, or gzip when the client asks for it (newTrackon does).</summary>
    private static async Task WriteBody(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain";
        if (!AcceptsGzip(context.Request))
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body);
            return;
        }
        using var compressed = new MemoryStream(body.Length + 32);
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            await gzip.WriteAsync(body);
        response.Headers.ContentEncoding = "gzip";
        response.ContentLength = compressed.Length;
        await response.Body.WriteAsync(compressed.GetBuffer().AsMemory(0, (int)compressed.Length));
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            if (value is not null && value.Contains("gzip", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
