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
    public ValueTask<AnnounceResult?[]> Announce(RoutedAnnounce[] batch)
    {
        var gather = new RoutedResults(batch, logger);
        for (var i = 0; i < batch.Length; i++)
            gather.Track(i, Start(batch[i]));
        return gather.Completed;
    }

    private ValueTask<AnnounceResult> Start(in RoutedAnnounce item)
    {
        try
        {
            return torrents.For(item.Hash).Announce(item.Request);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ValueTask.FromException<AnnounceResult>(e);
        }
    }
}
