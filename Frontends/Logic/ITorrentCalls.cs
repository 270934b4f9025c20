using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// How the seam reaches a torrent's swarm (its <see cref="ITorrentGrain"/>, the one owner of its
/// state). <see cref="DirectTorrentCalls"/> makes one grain call per request; a transport that
/// batches the calls bound for another silo implements this same interface, so neither the seam
/// nor the frontends change with it.
/// </summary>
public interface ITorrentCalls
{
    ValueTask<AnnounceResult> Announce(InfoHash hash, in AnnounceRequest request);

    ValueTask<SwarmCounts> Scrape(InfoHash hash);
}
