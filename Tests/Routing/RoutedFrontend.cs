using Orleans.TestingHost;
using OrleansTracker.Frontends.Routing;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.Routing;
using OrleansTracker.Grains.Routing;
using OrleansTracker.Tests.Cluster;

namespace OrleansTracker.Tests.Routing;

/// <summary>
/// A silo's frontend calls (<see cref="RoutedTorrentCalls"/>) as co-hosted on one silo of a test
/// cluster, with the membership view the test gives it (the real one, or a stale one).
/// </summary>
internal sealed class RoutedFrontend
{
    public RoutedFrontend(InProcessSiloHandle silo, IEnumerable<string> activeEndpoints, bool batch = true)
    {
        var grains = ThreeSiloCluster.GrainsOf(silo);
        Routing = new TorrentRouting(grains, Counters);
        Routing.Update(activeEndpoints.ToArray(), EndpointOf(silo));
        Calls = new RoutedTorrentCalls(new TorrentReferences(grains), Routing, Counters, batch);
    }

    public RoutingCounters Counters { get; } = new();

    public TorrentRouting Routing { get; }

    public RoutedTorrentCalls Calls { get; }

    public static string EndpointOf(InProcessSiloHandle silo) => SiloEndpoints.Of(silo.SiloAddress);

    public static OwnerRing<string> Ring(IEnumerable<string> endpoints) => new(endpoints.ToArray(), e => e);

    /// <summary>Starts every call the way a recvmmsg batch does: remote ones leave together when it closes.</summary>
    public static Task<T>[] InOneReceiveBatch<T>(int count, Func<int, ValueTask<T>> start)
    {
        var calls = new Task<T>[count];
        RoutingBatch.Open();
        try
        {
            for (var i = 0; i < count; i++)
                calls[i] = start(i).AsTask();
        }
        finally
        {
            RoutingBatch.Close();
        }
        return calls;
    }
}
