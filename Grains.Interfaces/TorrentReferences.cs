using System.Collections.Concurrent;
using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// Grain references are immutable and reusable. Building one per request costs a hex string, a
/// grain id and an interface-type lookup (measured: about a tenth of the UDP announce path), so
/// they are cached; the cache is simply emptied when it reaches its bound.
/// </summary>
public sealed class TorrentReferences(IGrainFactory grains)
{
    // About 100 bytes per entry: the cache stays under ~25 MB.
    private const int MaxCachedReferences = 250_000;

    private readonly ConcurrentDictionary<InfoHash, ITorrentGrain> _references = new();

    public ITorrentGrain For(InfoHash hash)
    {
        if (_references.TryGetValue(hash, out var grain))
            return grain;
        if (_references.Count >= MaxCachedReferences)
            _references.Clear();
        grain = grains.GetGrain<ITorrentGrain>(TorrentKeys.For(hash));
        _references.TryAdd(hash, grain);
        return grain;
    }
}
