using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.WebSockets;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// A swarm's WebSocket (WebTorrent) peers: an array of entries found by peer id through a
/// dictionary; removal moves the last entry into the hole. Created on a swarm's first WebSocket
/// peer, so a swarm without any pays one null field.
/// </summary>
internal sealed class WebSocketPeerSet
{
    private readonly Dictionary<PeerId, int> _index = [];
    private WebSocketPeerEntry[] _entries = new WebSocketPeerEntry[4];

    public int Count { get; private set; }

    public ref WebSocketPeerEntry this[int index] => ref _entries[index];

    public Span<WebSocketPeerEntry> AsSpan() => _entries.AsSpan(0, Count);

    public int Find(PeerId id) => _index.TryGetValue(id, out var index) ? index : -1;

    public int Add(PeerId id)
    {
        if (Count == _entries.Length)
            Array.Resize(ref _entries, Count * 2);
        _entries[Count] = new WebSocketPeerEntry { PeerId = id };
        _index.Add(id, Count);
        return Count++;
    }

    public void RemoveAt(int index)
    {
        _index.Remove(_entries[index].PeerId);
        Count--;
        if (index != Count)
        {
            _entries[index] = _entries[Count];
            _index[_entries[index].PeerId] = index;
        }
        _entries[Count] = default;   // drop the silo address reference
        if (_entries.Length > 16 && Count < _entries.Length / 4)
            Array.Resize(ref _entries, _entries.Length / 2);
    }
}

/// <summary>One WebSocket peer: where its socket is, and the announce fields the admin API shows.</summary>
internal struct WebSocketPeerEntry
{
    public PeerId PeerId;
    public WebSocketConnection Connection;
    public PeerEndpoint Endpoint;
    public long Uploaded;
    public long Downloaded;
    public long Left;
    /// <summary>Milliseconds from the swarm's time base to the last announce, as <see cref="PeerEntry{TAddress}.LastSeen"/>.</summary>
    public uint LastSeen;
    public byte LastEvent;
    public PeerFlags Flags;
}
