using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Admin;

/// <summary>GET /api/v1/stats: Torrust v1's sixteen fields, in its order, then ours (swarms_evicted, peers_evicted, torrents_unlisted, the WebSocket tracker's ws4_*/ws6_* counters and ws_offers_relayed/dropped, announces_rate_limited, peers_per_address_refused, this_silo).</summary>
public sealed record StatsJson(
    long Torrents, long Seeders, long Completed, long Leechers,
    long Tcp4ConnectionsHandled, long Tcp4AnnouncesHandled, long Tcp4ScrapesHandled,
    long Tcp6ConnectionsHandled, long Tcp6AnnouncesHandled, long Tcp6ScrapesHandled,
    long Udp4ConnectionsHandled, long Udp4AnnouncesHandled, long Udp4ScrapesHandled,
    long Udp6ConnectionsHandled, long Udp6AnnouncesHandled, long Udp6ScrapesHandled,
    long SwarmsEvicted,
    long PeersEvicted,
    long TorrentsUnlisted,
    long Ws4ConnectionsHandled, long Ws4AnnouncesHandled, long Ws4ScrapesHandled,
    long Ws6ConnectionsHandled, long Ws6AnnouncesHandled, long Ws6ScrapesHandled,
    long WsOffersRelayed,
    long WsOffersDropped,
    long AnnouncesRateLimited,
    long PeersPerAddressRefused,
    ThisSiloJson ThisSilo)
{
    public static StatsJson From(SwarmTotals s, ProtocolCounters r, RoutingSnapshot routing)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            s.Torrents, s.Seeders, s.Completed, s.Leechers,
            r.Tcp4Connections, r.Tcp4Announces, r.Tcp4Scrapes,
            r.Tcp6Connections, r.Tcp6Announces, r.Tcp6Scrapes,
            r.Udp4Connections, r.Udp4Announces, r.Udp4Scrapes,
            r.Udp6Connections, r.Udp6Announces, r.Udp6Scrapes,
            r.SwarmsEvicted,
            r.PeersEvicted,
            r.TorrentsUnlisted,
            r.Ws4Connections, r.Ws4Announces, r.Ws4Scrapes,
            r.Ws6Connections, r.Ws6Announces, r.Ws6Scrapes,
            r.WsRelayed,
            r.WsDropped,
            r.AnnouncesRateLimited,
            r.PeersPerAddressRefused,
            new ThisSiloJson(routing.AnnouncesLocal, routing.AnnouncesRemote, routing.RemoteBatches, routing.AnnouncesBatched));
    }
}

/// <summary>
/// Extension: where the announces this silo received went (the rest of the stats are
/// cluster-wide). Remote ones are for torrents another silo owns; batched ones crossed in
/// <c>remote_batches</c> messages.
/// </summary>
public sealed record ThisSiloJson(long AnnouncesLocal, long AnnouncesRemote, long RemoteBatches, long AnnouncesBatched);
