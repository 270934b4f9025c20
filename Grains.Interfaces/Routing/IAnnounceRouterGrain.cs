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
    /// <summary>
    /// <paramref name="packedBatch"/> is <see cref="RoutedBatchCodec"/>'s request bytes; the answer
    /// is its answer bytes, in request order, a failed torrent call marked as such.
    /// </summary>
    [AlwaysInterleave]
    ValueTask<byte[]> Announce(byte[] packedBatch);
}

public static class AnnounceRouterKeys
{
    /// <summary>The router of the silo listening at <paramref name="siloEndpoint"/> ("ip:port").</summary>
    public static string For(string siloEndpoint) => siloEndpoint;
}
