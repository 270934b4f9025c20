using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// The torrents a sweep partition lists that are not in memory as swarms: gone idle with a completed
/// count above zero, or read from the database at start. Bounded: past <see cref="Capacity"/> the
/// ones that went idle (or were stored) longest ago leave the list, so two announces per random
/// hash (started, then completed) cannot grow memory without end. Nothing is lost by that: the
/// count stays in the database and the torrent is listed again as soon as it is announced.
/// Plain data structure, no Orleans; it shares the partition's <see cref="TorrentIndex"/>.
/// </summary>
internal sealed class IdleTorrentList(TorrentIndex index, int capacity)
{
    private readonly Dictionary<InfoHash, (long Completed, long Order)> _torrents = [];
    // Oldest first. An entry whose order no longer matches (the torrent came back as a swarm, or
    // went idle again later) is stale and skipped; the queue is rebuilt when mostly stale.
    private readonly Queue<(InfoHash Hash, long Order)> _byAge = new();
    private long _nextOrder;

    public int Capacity { get; } = Math.Max(0, capacity);

    public int Count => _torrents.Count;

    /// <summary>Torrents dropped from the list to stay under the capacity, since this list was made.</summary>
    public long Dropped { get; private set; }

    /// <summary>Entries in the age queue, stale ones included (bounded by the compaction).</summary>
    internal int QueueLength => _byAge.Count;

    public bool TryGet(InfoHash hash, out long completed)
    {
        var found = _torrents.TryGetValue(hash, out var entry);
        completed = entry.Completed;
        return found;
    }

    /// <summary>Lists <paramref name="hash"/> as idle (the newest); returns how many older ones it pushed out.</summary>
    public int Add(InfoHash hash, long completed)
    {
        var order = _nextOrder++;
        _torrents[hash] = (completed, order);
        _byAge.Enqueue((hash, order));
        index.Add(hash);
        var dropped = 0;
        while (_torrents.Count > Capacity && _byAge.TryDequeue(out var oldest))
        {
            if (!_torrents.TryGetValue(oldest.Hash, out var entry) || entry.Order != oldest.Order)
                continue;
            _torrents.Remove(oldest.Hash);
            index.Remove(oldest.Hash);
            dropped++;
        }
        Dropped += dropped;
        CompactIfMostlyStale();
        return dropped;
    }

    /// <summary>The torrent is a swarm again (the partition lists it as one): no longer idle.</summary>
    public void Remove(InfoHash hash) => _torrents.Remove(hash);

    private void CompactIfMostlyStale()
    {
        if (_byAge.Count <= 2 * _torrents.Count + 1024)
            return;
        var live = _torrents.Select(t => (t.Key, t.Value.Order)).OrderBy(t => t.Order).ToArray();
        _byAge.Clear();
        foreach (var entry in live)
            _byAge.Enqueue(entry);
    }
}
