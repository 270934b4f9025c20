using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Dashboard;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.Routing;

namespace OrleansTracker.Grains.Routing;

/// <summary>
/// Calls the torrent grains of a batch that crossed from another silo. Placed on the silo its key
/// names (<see cref="SiloLocalPlacementAttribute"/>), so those calls are local when the owner
/// guess was right; when it was wrong (membership changed, or the grain was activated elsewhere
/// earlier) the ordinary grain call still reaches the torrent wherever it is. It holds no state,
/// so batches interleave freely.
/// </summary>
[Reentrant, SiloLocalPlacement]
internal sealed class AnnounceRouterGrain(TorrentReferences torrents, ILogger<AnnounceRouterGrain> logger) : Grain, IAnnounceRouterGrain
{
    [NoProfiling]
    public ValueTask<byte[]> Announce(byte[] packedBatch)
    {
        var count = RoutedBatchCodec.RequestCount(packedBatch);
        var gather = new RoutedResults(count, logger);
        for (var i = 0; i < count; i++)
            gather.Track(i, Start(packedBatch, i));
        return gather.Completed;
    }

    private ValueTask<AnnounceResult> Start(byte[] packedBatch, int index)
    {
        try
        {
            var (hash, request) = RoutedBatchCodec.ReadRequest(packedBatch, index);
            return torrents.For(hash).Announce(request);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ValueTask.FromException<AnnounceResult>(e);
        }
    }
}
