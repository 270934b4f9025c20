using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Http;

/// <summary>
/// BEP 3 announce and scrape over HTTP(S). Parameters are read from the raw query so binary
/// info_hash and peer_id survive; every bad request is answered 200 with a bencoded failure reason.
/// </summary>
public sealed class HttpTrackerHandler
{
    private readonly TrackerLogic _gateway;
    private readonly ILogger<HttpTrackerHandler> _logger;

    public HttpTrackerHandler(TrackerLogic gateway, ILogger<HttpTrackerHandler> logger)
    {
        _gateway = gateway;
        _logger = logger;
    }

    public async Task Announce(HttpContext context, string? key)
    {
        var started = Stopwatch.GetTimestamp();
        if (!HttpRequestParser.TryParseAnnounce(RawQuery(context), out var query, out var failure))
        {
            await WriteFailure(context, failure);
            return;
        }
        // Public mode accepts a key in the path and ignores it, as Torrust does.
        var denial = _gateway.Access.CheckAnnounce(query.InfoHash, key);
        if (denial != Refusal.None)
        {
            await WriteFailure(context, RefusalMessages.Text(denial));
            return;
        }
        if (!ClientAddress.TryResolve(context, _gateway.Options.OnReverseProxy, out var address))
        {
            await WriteFailure(context, "missing or invalid X-Forwarded-For header");
            return;
        }
        var options = _gateway.Options;
        var peer = _gateway.ResolvePeer(PeerEndpoint.FromIPAddress(address, query.Port));
        var request = new AnnounceRequest(
            query.PeerId, peer, query.Uploaded, query.Downloaded, query.Left, query.Event, query.NumWant,
            PeerFamilies.Both, IncludePeerIds: !query.Compact && !query.NoPeerId);
        AnnounceResult result;
        try
        {
            result = await _gateway.Announce(query.InfoHash, request);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogDebug(e, "announce failed");
            await WriteFailure(context, "tracker temporarily unavailable");
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(query.Compact
            ? HttpResponseWriter.MaxAnnounceCompactLength(result.Peers4Count, result.Peers6Count)
            : HttpResponseWriter.MaxAnnounceNonCompactLength(result.Peers4Count, result.Peers6Count));
        try
        {
            var length = query.Compact
                ? HttpResponseWriter.WriteAnnounceCompact(buffer, options.AnnounceIntervalSeconds, options.AnnounceIntervalMinSeconds,
                    result.Seeders, result.Leechers, result.Completed, result.Peers4, result.Peers6)
                : HttpResponseWriter.WriteAnnounceNonCompact(buffer, options.AnnounceIntervalSeconds, options.AnnounceIntervalMinSeconds,
                    result.Seeders, result.Leechers, result.Completed, result.Peers4, result.Peers6, result.PeerIds, query.NoPeerId);
            _gateway.Statistics.HttpAnnounced(TrackerStatistics.IsIPv4(address), started);
            await WriteBody(context, buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task Scrape(HttpContext context, string? key)
    {
        var started = Stopwatch.GetTimestamp();
        var hashes = new InfoHash[_gateway.Options.MaxScrapeHashes];
        if (!HttpRequestParser.TryParseScrape(RawQuery(context), hashes, out var count, out _, out var failure))
        {
            await WriteFailure(context, failure);
            return;
        }
        var counts = new SwarmCounts[count];
        try
        {
            // Without a valid key a private tracker answers zeros, not an error (BEP 48 clients
            // scrape many trackers and treat a failure as a dead tracker).
            await _gateway.Scrape(hashes.AsMemory(0, count), counts, _gateway.Access.CheckKey(key));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogDebug(e, "scrape failed");
            await WriteFailure(context, "tracker temporarily unavailable");
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(HttpResponseWriter.MaxScrapeLength(count));
        try
        {
            var length = HttpResponseWriter.WriteScrape(buffer, hashes.AsSpan(0, count), counts);
            _gateway.Statistics.HttpScraped(TrackerStatistics.IsIPv4(context.Connection.RemoteIpAddress), started);
            await WriteBody(context, buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
