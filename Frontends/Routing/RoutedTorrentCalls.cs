using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Routing;

/// <summary>
/// The calls of a frontend co-hosted in a silo of a cluster. An announce for a torrent this silo
/// owns is a direct grain call; one for a torrent another silo owns joins that silo's batch
/// (<see cref="OwnerChannel"/>), which its announce router hands to the torrent grains there, so
/// announces crossing between two silos take one message each way per batch instead of one per
/// announce. With <paramref name="batch"/> off they are direct calls too (counted the same way,
/// which is how bench/cluster.sh compares the two). A wrong owner guess costs one extra hop, never
/// a wrong answer: the router's call is an ordinary grain call that reaches the torrent wherever
/// it is. Scrapes stay direct calls: they are rarer and fan out over many torrents.
/// </summary>
public sealed class RoutedTorrentCalls(TorrentReferences torrents, TorrentRouting routing, RoutingCounters counters, bool batch) : ITorrentCalls
{
    public ValueTask<AnnounceResult> Announce(InfoHash hash, in AnnounceRequest request)
    {
        if (routing.RemoteChannel(hash) is not { } remote)
        {
            counters.Local();
            return torrents.For(hash).Announce(request);
        }
        counters.Remote();
        return batch ? remote.Add(hash, request) : torrents.For(hash).Announce(request);
    }

    public ValueTask<SwarmCounts> Scrape(InfoHash hash) => torrents.Scrape(hash);
}
