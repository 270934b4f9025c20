using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// Grain references are immutable and reusable. Building one per request costs a hex string, a
/// grain id and an interface-type lookup (measured: about a tenth of the UDP announce path), so
/// they are cached; the cache is simply emptied when it reaches its bound.
/// </summary>
public sealed class TorrentReferences(IGrainFactory grains)
{
    // About 100 bytes per entry: each cache stays under ~25 MB (the WebSocket one holds only
    // torrents WebSocket peers announced).
    private const int MaxCachedReferences = 250_000;

    private readonly ConcurrentDictionary<InfoHash, ITorrentGrain> _references = new();

    /// <summary>
    /// A scrape, asked again (up to four times) when Orleans rejected it because the torrent's
    /// activation was leaving: a scrape of an unknown torrent deactivates it at once, so concurrent
    /// scrapes of one can be forwarded from one leaving activation to
    /// the next until Orleans gives up. A scrape changes nothing, so asking again is safe.
    /// </summary>
    public ValueTask<SwarmCounts> Scrape(InfoHash hash)
    {
        var call = For(hash).Scrape();
        return call.IsCompletedSuccessfully ? call : ScrapeAgainIfRejected(hash, call);
    }

    // Enough for a few clients scraping one unknown torrent at once; a storm of such scrapes (64 at
    // once in a trial) can still be rejected: the seam sends one call per distinct hash of a scrape.
    private const int MaxScrapeAttempts = 5;

    private async ValueTask<SwarmCounts> ScrapeAgainIfRejected(InfoHash hash, ValueTask<SwarmCounts> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call;
            }
            catch (OrleansMessageRejectionException) when (attempt < MaxScrapeAttempts)
            {
                call = For(hash).Scrape();
            }
        }
    }

    private readonly ConcurrentDictionary<InfoHash, WebSockets.IWebSocketSwarm> _webSocketSwarms = new();

    /// <summary>
    /// The same activation as <see cref="For"/>, seen as a WebSocket swarm. Cached as well: a
    /// string-keyed GetGrain resolves the interface type by name and formats the key on every call
    /// (about 3 % of the WebSocket tracker's CPU under load).
    /// </summary>
    public WebSockets.IWebSocketSwarm WebSocketSwarm(InfoHash hash)
    {
        if (_webSocketSwarms.TryGetValue(hash, out var swarm))
            return swarm;
        if (_webSocketSwarms.Count >= MaxCachedReferences)
            _webSocketSwarms.Clear();
        swarm = grains.GetGrain<WebSockets.IWebSocketSwarm>(TorrentKeys.For(hash));
        _webSocketSwarms.TryAdd(hash, swarm);
        return swarm;
    }

    public ITorrentGrain For(InfoHash hash)
    {
        if (_references.TryGetValue(hash, out var grain))
            return grain;
        if (_references.Count >= MaxCachedReferences)
            _references.Clear();
        grain = grains.GetGrain<ITorrentGrain>(TorrentKeys.For(hash));
        _references.TryAdd(hash, grain);
        return grain;
    }
}
