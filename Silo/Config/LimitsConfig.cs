namespace OrleansTracker.Silo.Config;

/// <summary>
/// <c>[limits]</c>: caps that keep a tracker on the open internet alive under abuse. Every cap has a
/// safe default; each is tested.
/// </summary>
public sealed class LimitsConfig : IConfigRules
{
    [ConfigKey("udp_bad_connection_ids", """
        Bad UDP requests (forged, expired or replayed connection ids, malformed packets) one address may
        send per window before they are dropped unanswered for the rest of the window; 0 never drops.
        Connects and requests with a valid connection id are always served. IPv6 counts per /64.
        """, Min = 0, Max = 1_000_000)]
    public int UdpBadConnectionIds { get; init; } = 10;

    [ConfigKey("udp_bad_connection_id_window", "That window, in seconds.")]
    public TimeSpan UdpBadConnectionIdWindow { get; init; } = TimeSpan.FromSeconds(120);

    [ConfigKey("udp_max_in_flight", """
        UDP requests one socket keeps waiting on swarms; beyond it datagrams are dropped (load shedding).
        """, Max = 1_000_000)]
    public int UdpMaxInFlight { get; init; } = 1024;

    [ConfigKey("announces_per_address_per_minute", """
        Announces one address may make per minute (fixed one-minute windows, counted by each silo and
        frontend process; IPv6 counts per /64); beyond it an announce is answered with a failure reason
        and changes nothing. 0 (the default) sets no limit: a CGNAT address can stand for thousands of
        users, so choose it from your own traffic (a client announces each torrent about every
        announce_interval). The table is fixed (1 MiB), so spoofed or many addresses cannot grow it.
        """, Min = 0, Max = 60_000)]
    public int AnnouncesPerAddressPerMinute { get; init; }

    [ConfigKey("peers_per_address_per_swarm", """
        Peers one address may hold in one swarm (IPv6 counts per /64); an announce that would add one
        more is answered with a failure reason and adds nothing (peers already there keep announcing).
        0 (the default) sets no limit. Bounds one host filling a swarm with invented peer ids.
        """, Min = 0, Max = 10_000_000)]
    public int PeersPerAddressPerSwarm { get; init; }

    [ConfigKey("max_swarms_per_silo", """
        Swarms one silo keeps in memory (measured ~3.5 KB each with 2 peers: 500000 is ~1.8 GB);
        beyond it the swarms announced longest ago are evicted (completed counts are saved first and
        come back; their peers return on their next announce). Bounds random-info-hash floods.
        """, Min = 10, Max = 100_000_000)]
    public int MaxSwarmsPerSilo { get; init; } = 500_000;

    /// <summary>A full swarm evicts a batch of about 1/32 of the cap at a time.</summary>
    [ConfigKey("max_peers_per_swarm", """
        Peers one swarm holds (~100 bytes each: 100000 is ~10 MB). Large real swarms reach tens of
        thousands of peers, so this leaves room; beyond it a new peer evicts the peers announced
        longest ago (active peers re-announce and stay). Bounds floods of invented peer ids into one hash.
        """, Min = 10, Max = 10_000_000)]
    public int MaxPeersPerSwarm { get; init; } = 100_000;

    [ConfigKey("max_peers_per_silo", """
        Peers all of one silo's swarms hold (~200 bytes each with their swarms: 5000000 is ~1 GB); beyond
        it the swarms announced longest ago are evicted, as above. Bounds floods of invented peers spread
        over many hashes. At least max_peers_per_swarm.
        """, Min = 10, Max = 1_000_000_000)]
    public int MaxPeersPerSilo { get; init; } = 5_000_000;

    [ConfigKey("max_idle_torrents_listed", """
        Torrents without peers but with a completed count that the admin API's torrent list keeps in
        memory, for the whole cluster (~150 bytes each). Beyond it the ones idle longest leave the list;
        their completed counts stay in the database and they are listed again when announced. Bounds
        floods of started+completed announces with random hashes.
        """, Min = 0, Max = 1_000_000_000)]
    public int MaxIdleTorrentsListed { get; init; } = 1_000_000;

    /// <summary>Kestrel counts them per process.</summary>
    [ConfigKey("http_max_connections", """
        Open HTTP(S) connections in all (tracker listeners and API together); more are refused.
        """, Max = 10_000_000)]
    public int HttpMaxConnections { get; init; } = 10_000;

    [ConfigKey("http_max_request_line", """
        Bytes of an HTTP request line (method, path, query); longer gets 414. A 74-hash scrape needs ~5.3 KB.
        """, Min = 1024, Max = 1024 * 1024)]
    public int HttpMaxRequestLine { get; init; } = 8192;

    [ConfigKey("http_max_header_bytes", "Bytes of all HTTP request headers; more gets 431.", Min = 1024, Max = 1024 * 1024)]
    public int HttpMaxHeaderBytes { get; init; } = 16_384;

    [ConfigKey("http_header_timeout", """
        Seconds a client has to send its request headers before the connection is closed (slowloris).
        """)]
    public TimeSpan HttpHeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    [ConfigKey("http_keep_alive_timeout", "Seconds an idle keep-alive connection stays open.")]
    public TimeSpan HttpKeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    [ConfigKey("ws_max_connections", """
        Open WebSocket (WebTorrent) connections per process; more are closed with a reason.
        """, Max = 10_000_000)]
    public int WsMaxConnections { get; init; } = 10_000;

    [ConfigKey("ws_max_connections_per_address", "Open WebSocket connections from one client address.", Max = 10_000_000)]
    public int WsMaxConnectionsPerAddress { get; init; } = 32;

    [ConfigKey("ws_max_message_bytes", """
        Bytes of one WebSocket message; a larger one closes the connection. An SDP offer is about
        1-4 KB, an announce with five of them 3-8 KB.
        """, Min = 1024, Max = 1024 * 1024)]
    public int WsMaxMessageBytes { get; init; } = 16 * 1024;

    [ConfigKey("ws_max_offers_per_announce", """
        WebRTC offers in one announce (each goes to one other peer); more closes the connection.
        webtorrent sends up to 5 (bittorrent-tracker caps numwant at 50).
        """, Min = 0, Max = 100)]
    public int WsMaxOffersPerAnnounce { get; init; } = 10;

    [ConfigKey("ws_messages_per_second", """
        Messages one WebSocket connection may send per second (bursts of twice as many); more closes it.
        """, Max = 100_000)]
    public int WsMessagesPerSecond { get; init; } = 20;

    [ConfigKey("ws_idle_timeout", """
        Seconds a WebSocket connection may stay silent before it is closed (more than announce_interval).
        """)]
    public TimeSpan WsIdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    [ConfigKey("ws_max_torrents_per_connection", """
        Torrents one WebSocket connection may announce (a browser shares one socket between its torrents).
        """, Max = 100_000)]
    public int WsMaxTorrentsPerConnection { get; init; } = 100;

    void IConfigRules.Check(ConfigChecks checks)
    {
        // One full swarm must fit: otherwise every new peer of it would evict the swarm itself.
        if (MaxPeersPerSilo < MaxPeersPerSwarm)
            throw checks.Error(this, "max_peers_per_silo", $"{MaxPeersPerSilo} is less than max_peers_per_swarm ({MaxPeersPerSwarm})");
    }
}
