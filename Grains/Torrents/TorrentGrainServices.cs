using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.WebSockets;
using OrleansTracker.Grains.Partitions;
using OrleansTracker.Grains.Swarm;
using OrleansTracker.Grains.WebSockets;

namespace OrleansTracker.Grains.Torrents;

/// <summary>
/// What every torrent grain of a silo shares, in one object: the grain keeps one reference to it
/// instead of a field per service, and the swarm settings, the sweep partitions' references and the
/// WebSocket liveness check exist once per silo instead of once per torrent (about 150 bytes per
/// torrent; docs/benchmarks.md, "Memory per torrent").
/// </summary>
internal sealed class TorrentGrainServices
{
    private readonly ISweepPartitionGrain[] _partitions;

    public TorrentGrainServices(
        IOptions<TorrentOptions> options,
        TimeProvider clock,
        SiloSwarms silo,
        IEnumerable<IStoredTorrentCatalog> catalog,
        IGrainFactory grains,
        IServiceProvider services,
        ILogger<TorrentGrain> logger)
    {
        Options = options.Value;
        SwarmOptions = new SwarmOptions(Options.PeerTimeout, Options.DefaultNumWant, Options.MaxNumWant, Options.MaxPeersPerSwarm, Options.MaxPeersPerAddress);
        Clock = clock;
        Silo = silo;
        HasStoredCatalog = catalog.Any();
        Logger = logger;
        _partitions = new ISweepPartitionGrain[SweepPartitions.Count];
        for (var i = 0; i < _partitions.Length; i++)
            _partitions[i] = grains.GetGrain<ISweepPartitionGrain>(i);
        // Silos without WebSocket listeners have no liveness service: no connection is gone.
        IsGone = services.GetService<ISiloLiveness>() is { } liveness ? c => liveness.IsGone(c.Silo) : _ => false;
    }

    public TorrentOptions Options { get; }

    /// <summary>One instance for every swarm of the silo (immutable).</summary>
    public SwarmOptions SwarmOptions { get; }

    public TimeProvider Clock { get; }

    public SiloSwarms Silo { get; }

    /// <summary>Persistence is on: the sweep partitions know which torrents were ever stored.</summary>
    public bool HasStoredCatalog { get; }

    public ILogger<TorrentGrain> Logger { get; }

    /// <summary>A WebSocket connection is gone when its silo has left the cluster.</summary>
    public Func<WebSocketConnection, bool> IsGone { get; }

    public ISweepPartitionGrain Partition(InfoHash hash) => _partitions[SweepPartitions.For(hash)];
}
