using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// Requests handled per protocol and address family, Torrust's twelve statistics counters. "tcp"
/// is HTTP(S); as in Torrust, a tcp "connection" is one announce or scrape request handled, and a
/// udp "connection" is a BEP 15 connect. <see cref="SwarmsEvicted"/> is ours: swarms dropped from
/// memory by the per-silo cap (<c>max_swarms_per_silo</c>); so is <see cref="PeersEvicted"/>, peers
/// dropped by the per-swarm cap (<c>max_peers_per_swarm</c>), and <see cref="TorrentsUnlisted"/>,
/// idle torrents dropped from the torrent list (<c>max_idle_torrents_listed</c>). The ws counters are
/// the WebSocket (WebTorrent) tracker's: connections accepted, announces and scrapes, and offers and
/// answers relayed or dropped (their peer had gone).
/// <see cref="AnnouncesRateLimited"/> and <see cref="PeersPerAddressRefused"/> count announces refused by
/// <c>announces_per_address_per_minute</c> and <c>peers_per_address_per_swarm</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProtocolCounters(
    [property: Id(0)] long Tcp4Connections, [property: Id(1)] long Tcp4Announces, [property: Id(2)] long Tcp4Scrapes,
    [property: Id(3)] long Tcp6Connections, [property: Id(4)] long Tcp6Announces, [property: Id(5)] long Tcp6Scrapes,
    [property: Id(6)] long Udp4Connections, [property: Id(7)] long Udp4Announces, [property: Id(8)] long Udp4Scrapes,
    [property: Id(9)] long Udp6Connections, [property: Id(10)] long Udp6Announces, [property: Id(11)] long Udp6Scrapes,
    [property: Id(12)] long SwarmsEvicted = 0,
    [property: Id(13)] long PeersEvicted = 0,
    [property: Id(14)] long TorrentsUnlisted = 0,
    [property: Id(15)] long Ws4Connections = 0, [property: Id(16)] long Ws4Announces = 0, [property: Id(17)] long Ws4Scrapes = 0,
    [property: Id(18)] long Ws6Connections = 0, [property: Id(19)] long Ws6Announces = 0, [property: Id(20)] long Ws6Scrapes = 0,
    [property: Id(21)] long WsRelayed = 0,
    [property: Id(22)] long WsDropped = 0,
    [property: Id(23)] long AnnouncesRateLimited = 0,
    [property: Id(24)] long PeersPerAddressRefused = 0)
{
    public static ProtocolCounters Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ProtocolCounters Plus(ProtocolCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Tcp4Connections + other.Tcp4Connections, Tcp4Announces + other.Tcp4Announces, Tcp4Scrapes + other.Tcp4Scrapes,
            Tcp6Connections + other.Tcp6Connections, Tcp6Announces + other.Tcp6Announces, Tcp6Scrapes + other.Tcp6Scrapes,
            Udp4Connections + other.Udp4Connections, Udp4Announces + other.Udp4Announces, Udp4Scrapes + other.Udp4Scrapes,
            Udp6Connections + other.Udp6Connections, Udp6Announces + other.Udp6Announces, Udp6Scrapes + other.Udp6Scrapes,
            SwarmsEvicted + other.SwarmsEvicted,
            PeersEvicted + other.PeersEvicted,
            TorrentsUnlisted + other.TorrentsUnlisted,
            Ws4Connections + other.Ws4Connections, Ws4Announces + other.Ws4Announces, Ws4Scrapes + other.Ws4Scrapes,
            Ws6Connections + other.Ws6Connections, Ws6Announces + other.Ws6Announces, Ws6Scrapes + other.Ws6Scrapes,
            WsRelayed + other.WsRelayed,
            WsDropped + other.WsDropped,
            AnnouncesRateLimited + other.AnnouncesRateLimited,
            PeersPerAddressRefused + other.PeersPerAddressRefused);
    }

    /// <summary>Each counter's larger value: one process's totals only grow, so this is the newer report.</summary>
    public ProtocolCounters Max(ProtocolCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Math.Max(Tcp4Connections, other.Tcp4Connections), Math.Max(Tcp4Announces, other.Tcp4Announces), Math.Max(Tcp4Scrapes, other.Tcp4Scrapes),
            Math.Max(Tcp6Connections, other.Tcp6Connections), Math.Max(Tcp6Announces, other.Tcp6Announces), Math.Max(Tcp6Scrapes, other.Tcp6Scrapes),
            Math.Max(Udp4Connections, other.Udp4Connections), Math.Max(Udp4Announces, other.Udp4Announces), Math.Max(Udp4Scrapes, other.Udp4Scrapes),
            Math.Max(Udp6Connections, other.Udp6Connections), Math.Max(Udp6Announces, other.Udp6Announces), Math.Max(Udp6Scrapes, other.Udp6Scrapes),
            Math.Max(SwarmsEvicted, other.SwarmsEvicted),
            Math.Max(PeersEvicted, other.PeersEvicted),
            Math.Max(TorrentsUnlisted, other.TorrentsUnlisted),
            Math.Max(Ws4Connections, other.Ws4Connections), Math.Max(Ws4Announces, other.Ws4Announces), Math.Max(Ws4Scrapes, other.Ws4Scrapes),
            Math.Max(Ws6Connections, other.Ws6Connections), Math.Max(Ws6Announces, other.Ws6Announces), Math.Max(Ws6Scrapes, other.Ws6Scrapes),
            Math.Max(WsRelayed, other.WsRelayed),
            Math.Max(WsDropped, other.WsDropped),
            Math.Max(AnnouncesRateLimited, other.AnnouncesRateLimited),
            Math.Max(PeersPerAddressRefused, other.PeersPerAddressRefused));
    }
}

/// <summary>Sums over the swarms a sweep partition holds (torrents in memory with peers, as Torrust counts them).</summary>
[GenerateSerializer, Immutable]
public readonly record struct SwarmTotals(
    [property: Id(0)] long Torrents,
    [property: Id(1)] long Seeders,
    [property: Id(2)] long Leechers,
    [property: Id(3)] long Completed)
{
    public SwarmTotals Plus(SwarmTotals other) =>
        new(Torrents + other.Torrents, Seeders + other.Seeders, Leechers + other.Leechers, Completed + other.Completed);
}
