using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.Routing;

namespace OrleansTracker.Frontends.Routing;

/// <summary>
/// Which silo owns a torrent, as this silo's frontends see it: the same consistent-hash ring the
/// torrent grains are placed by (<see cref="OwnerRing{TSilo}"/>), over the active silos of the
/// latest membership snapshot. Until the first snapshot, or with one silo, every torrent is local.
/// </summary>
public sealed class TorrentRouting(IGrainFactory grains, RoutingCounters counters)
{
    private sealed class Owner(string endpoint, OwnerChannel? channel)
    {
        public string Endpoint { get; } = endpoint;

        /// <summary>The batch queue to that silo; null for this silo.</summary>
        public OwnerChannel? Channel { get; } = channel;
    }

    private readonly object _gate = new();
    private Dictionary<string, Owner> _owners = [];
    private volatile OwnerRing<Owner>? _ring;

    /// <summary>Active silos changed: rebuild the ring, keeping the queues of silos still there.</summary>
    public void Update(IReadOnlyCollection<string> activeEndpoints, string localEndpoint)
    {
        ArgumentNullException.ThrowIfNull(activeEndpoints);
        lock (_gate)
        {
            var owners = new Dictionary<string, Owner>(activeEndpoints.Count);
            foreach (var endpoint in activeEndpoints)
            {
                owners[endpoint] = _owners.TryGetValue(endpoint, out var kept)
                    ? kept
                    : new Owner(endpoint, endpoint == localEndpoint ? null : NewChannel(endpoint));
            }
            _owners = owners;
            _ring = owners.Count < 2 ? null : new OwnerRing<Owner>(owners.Values, o => o.Endpoint);
        }
    }

    /// <summary>The queue of the silo that owns <paramref name="hash"/>; null when it is this one (or no other is known).</summary>
    internal OwnerChannel? RemoteChannel(InfoHash hash) => _ring is { } ring ? ring.Owner(hash).Channel : null;

    private OwnerChannel NewChannel(string endpoint) =>
        new(grains.GetGrain<IAnnounceRouterGrain>(AnnounceRouterKeys.For(endpoint)), counters);
}
