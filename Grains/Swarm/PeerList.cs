namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// The peers of one address family in a plain array of structs: O(1) append and swap-remove, no
/// object per peer. Starts empty, grows by half from a small size and gives memory back when
/// mostly empty, so the many tiny swarms of a tracker stay tiny.
/// </summary>
/// <remarks>
/// Growth by half rather than doubling: a swarm that stopped growing wastes at most a third of its
/// array instead of half. With 10 peers a swarm holds 13 slots, not 16 (measured at 100k torrents
/// and 1M peers: docs/benchmarks.md, "Memory per peer"); the extra copies while a swarm grows cost
/// an announce nothing measurable.
/// </remarks>
internal sealed class PeerList<TAddress> where TAddress : struct, IPeerAddress<TAddress>
{
    internal const int MinCapacity = 2;

    private PeerEntry<TAddress>[] _items = [];
    private int _count;

    public int Count => _count;

    public int Capacity => _items.Length;

    /// <summary>The entry at <paramref name="index"/>; the caller keeps the index below <see cref="Count"/>.</summary>
    public ref PeerEntry<TAddress> this[int index] => ref _items[index];

    public Span<PeerEntry<TAddress>> AsSpan() => _items.AsSpan(0, _count);

    /// <summary>Appends a zeroed entry and returns its index.</summary>
    public int Add()
    {
        if (_count == _items.Length)
            Resize(Math.Max(MinCapacity, _items.Length + _items.Length / 2));
        _items[_count] = default;
        return _count++;
    }

    /// <summary>
    /// Removes the entry at <paramref name="index"/> by moving the last entry into its place.
    /// Returns the index the moved entry came from, or -1 when the removed entry was the last.
    /// </summary>
    public int RemoveAt(int index)
    {
        var last = --_count;
        var moved = -1;
        if (index != last)
        {
            _items[index] = _items[last];
            moved = last;
        }
        TrimExcess();
        return moved;
    }

    /// <summary>Drops every entry from <paramref name="count"/> on (after an in-place compaction).</summary>
    public void Truncate(int count)
    {
        _count = count;
        TrimExcess();
    }

    /// <summary>Shrinks to twice the count once at most a quarter of the array is in use.</summary>
    private void TrimExcess()
    {
        if (_count == 0)
            _items = [];
        else if (_items.Length > MinCapacity && _count <= _items.Length / 4)
            Resize(Math.Max(MinCapacity, _count * 2));
    }

    private void Resize(int capacity)
    {
        var items = new PeerEntry<TAddress>[capacity];
        AsSpan().CopyTo(items);
        _items = items;
    }
}
