using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.WebSockets;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// WebSocket peers: peers of their own kind in the same swarm. They count as seeders and leechers
/// and in the completed total like any peer, but are never handed to UDP/HTTP announces (they have
/// no address a BitTorrent client could dial) and only ever receive other WebSocket peers' offers.
/// A WebSocket peer is its id on its connection: only that connection updates or stops it, and
/// another connection announcing the same id is refused while the first is alive.
/// </summary>
public sealed partial class Swarm
{
    public const string PeerIdTaken = "peer_id is in use by another connection";
    public const string SwarmFull = "this torrent has too many WebSocket peers";

    private WebSocketPeerSet? _webSocketPeers;

    public int WebSocketPeerCount => _webSocketPeers?.Count ?? 0;

    /// <param name="isGone">True for a connection whose silo has left the cluster.</param>
    public WebSocketAnnounceResult AnnounceWebSocket(in WebSocketAnnounce announce, Func<WebSocketConnection, bool> isGone)
    {
        var now = Now();
        if (now >= _nextSweep)
            Sweep(now);
        var peers = _webSocketPeers ??= new WebSocketPeerSet();
        var found = peers.Find(announce.PeerId);
        var known = false;
        var carried = PeerFlags.None;
        if (found >= 0)
        {
            ref var held = ref peers[found];
            known = !IsExpired(held.LastSeen, now);
            if (known && held.Connection != announce.Connection && !isGone(held.Connection))
                return WebSocketCounts([], PeerIdTaken);
            if (known)
                carried = held.Flags & PeerFlags.Completed;
            Uncount(held.Flags);
            if (announce.Event == AnnounceEvent.Stopped)
                peers.RemoveAt(found);
        }
        if (announce.Event == AnnounceEvent.Stopped)
            return WebSocketCounts([]);
        if (found < 0)
        {
            if (peers.Count >= _options.MaxPeers)
                return WebSocketCounts([], SwarmFull);
            found = peers.Add(announce.PeerId);
        }
        if (announce.Event == AnnounceEvent.Completed)
        {
            if (known && (carried & PeerFlags.Completed) == 0)
                _completed++;
            carried |= PeerFlags.Completed;
        }
        // A client without metadata sends no "left"; one that said it completed is a seeder.
        if (announce.Left == 0 || (announce.Left < 0 && (carried & PeerFlags.Completed) != 0))
            carried |= PeerFlags.Seeder;

        ref var entry = ref peers[found];
        entry.Connection = announce.Connection;
        entry.Endpoint = announce.Endpoint;
        entry.Uploaded = announce.Uploaded;
        entry.Downloaded = announce.Downloaded;
        entry.Left = announce.Left;
        entry.LastSeen = (uint)(now - _base);
        entry.LastEvent = (byte)announce.Event;
        entry.Flags = carried;
        Count(carried);
        _nextSweep = Math.Min(_nextSweep, Math.Max(now + _timeoutMs, _lastSweep + MinSweepIntervalMs));
        return WebSocketCounts(PickOfferTargets(peers, found, Math.Min(announce.Offers, _options.MaxNumWant), now, isGone));
    }

    /// <summary>The connection of a live WebSocket peer, or null.</summary>
    public WebSocketConnection? LocateWebSocketPeer(PeerId peerId)
    {
        var found = _webSocketPeers?.Find(peerId) ?? -1;
        if (found < 0)
            return null;
        ref var entry = ref _webSocketPeers![found];
        return IsExpired(entry.LastSeen, Now()) ? null : entry.Connection;
    }

    /// <summary>Removes the peer if <paramref name="connection"/> still holds it (a socket closed). True when removed.</summary>
    public bool LeaveWebSocket(PeerId peerId, WebSocketConnection connection)
    {
        var found = _webSocketPeers?.Find(peerId) ?? -1;
        if (found < 0 || _webSocketPeers![found].Connection != connection)
            return false;
        Uncount(_webSocketPeers[found].Flags);
        _webSocketPeers.RemoveAt(found);
        return true;
    }

    /// <summary>Removes the WebSocket peers whose silo has left the cluster; returns how many.</summary>
    public int RemoveWebSocketPeersOf(Func<WebSocketConnection, bool> isGone)
    {
        if (_webSocketPeers is not { } peers)
            return 0;
        var removed = 0;
        for (var i = peers.Count - 1; i >= 0; i--)
        {
            if (!isGone(peers[i].Connection))
                continue;
            Uncount(peers[i].Flags);
            peers.RemoveAt(i);
            removed++;
        }
        return removed;
    }

    /// <summary>Up to <paramref name="want"/> other live peers, walked from a random start.</summary>
    private WebSocketTarget[] PickOfferTargets(WebSocketPeerSet peers, int self, int want, long now, Func<WebSocketConnection, bool> isGone)
    {
        if (want <= 0 || peers.Count <= 1)
            return [];
        var targets = new List<WebSocketTarget>(Math.Min(want, peers.Count - 1));
        var start = _random.Next(peers.Count);
        for (var step = 0; step < peers.Count && targets.Count < want; step++)
        {
            var i = (start + step) % peers.Count;
            ref var entry = ref peers[i];
            if (i == self || IsExpired(entry.LastSeen, now) || isGone(entry.Connection))
                continue;
            targets.Add(new WebSocketTarget(entry.PeerId, entry.Connection));
        }
        return [.. targets];
    }

    private WebSocketAnnounceResult WebSocketCounts(WebSocketTarget[] targets, string? refused = null) =>
        new(_seeders, _leechers, _completed, targets, refused);

    /// <summary>Drops expired WebSocket peers (part of every sweep); lowers <paramref name="oldest"/> to the oldest kept.</summary>
    private int SweepWebSocketPeers(long cutoff, ref long oldest)
    {
        if (_webSocketPeers is not { } peers)
            return 0;
        var removed = 0;
        for (var i = peers.Count - 1; i >= 0; i--)
        {
            if (peers[i].LastSeen > cutoff)
            {
                oldest = Math.Min(oldest, peers[i].LastSeen);
                continue;
            }
            Uncount(peers[i].Flags);
            peers.RemoveAt(i);
            removed++;
        }
        if (peers.Count == 0)
            _webSocketPeers = null;
        return removed;
    }

    private void RebaseWebSocketPeers(uint shift)
    {
        if (_webSocketPeers is null)
            return;
        foreach (ref var entry in _webSocketPeers.AsSpan())
            entry.LastSeen -= shift;
    }

    private void AddWebSocketSnapshots(List<PeerSnapshot> into, long now, DateTimeOffset utcNow)
    {
        if (_webSocketPeers is null)
            return;
        var cutoff = ExpiryCutoff(now);
        foreach (ref readonly var entry in _webSocketPeers.AsSpan())
        {
            if (entry.LastSeen <= cutoff)
                continue;
            var age = now - _base - entry.LastSeen;
            into.Add(new PeerSnapshot(entry.PeerId, entry.Endpoint, entry.Uploaded, entry.Downloaded, entry.Left,
                utcNow - TimeSpan.FromMilliseconds(age), (AnnounceEvent)entry.LastEvent));
        }
    }
}
