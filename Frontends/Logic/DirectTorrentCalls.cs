using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// One grain call per request, on a cached grain reference. Works the same co-hosted in a silo or
/// in an Orleans client process.
/// </summary>
public sealed class DirectTorrentCalls(TorrentReferences torrents) : ITorrentCalls
{
    public ValueTask<AnnounceResult> Announce(InfoHash hash, in AnnounceRequest request) => torrents.For(hash).Announce(request);

    public ValueTask<SwarmCounts> Scrape(InfoHash hash) => torrents.Scrape(hash);
}
