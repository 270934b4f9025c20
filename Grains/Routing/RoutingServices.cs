using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Routing;

public static class RoutingServices
{
    /// <summary>Torrent grains placed by the owner ring; one announce router per silo.</summary>
    public static ISiloBuilder AddTorrentRouting(this ISiloBuilder silo)
    {
        silo.Services.AddPlacementDirector<TorrentOwnerPlacement, TorrentOwnerPlacementDirector>();
        silo.Services.AddPlacementDirector<SiloLocalPlacement, SiloLocalPlacementDirector>();
        silo.Services.TryAddSingleton<TorrentReferences>();
        return silo;
    }
}
