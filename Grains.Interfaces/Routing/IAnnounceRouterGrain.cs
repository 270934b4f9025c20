using Orleans;
using Orleans.Concurrency;

namespace OrleansTracker.Grains.Interfaces.Routing;

/// <summary>
/// One per silo (key: the silo's endpoint, <see cref="AnnounceRouterKeys"/>): takes a batch of
/// announces for torrents that silo owns and calls each torrent grain there, so that announces
/// crossing between two silos travel in one message each way instead of one per announce. The
/// torrent grains stay the only owners of their swarms; the router holds no state.
/// </summary>
public interface IAnnounceRouterGrain : IGrainWithStringKey
{
    /// <summary>Answers in request order; an entry is null when that torrent's call failed.</summary>
    [AlwaysInterleave]
    ValueTask<AnnounceResult?[]> Announce(RoutedAnnounce[] batch);
}

/// <summary>One announce of a batch: the torrent and the request its grain gets.</summary>
[GenerateSerializer, Immutable]
public readonly record struct RoutedAnnounce(
    [property: Id(0)] InfoHash Hash,
    [property: Id(1)] AnnounceRequest Request);

public static class AnnounceRouterKeys
{
    /// <summary>The router of the silo listening at <paramref name="siloEndpoint"/> ("ip:port").</summary>
    public static string For(string siloEndpoint) => siloEndpoint;
}
