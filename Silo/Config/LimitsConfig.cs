namespace OrleansTracker.Silo.Config;

/// <summary>
/// <c>[limits]</c>: caps that keep a tracker on the open internet alive under abuse. Every cap has a
/// safe default; each is tested.
/// </summary>
public sealed class LimitsConfig
{
    /// <summary><c>udp_bad_connection_ids</c>: bad UDP connection ids one address may send per window
    /// before its datagrams are dropped for the rest of it; 0 never drops.</summary>
    public int UdpBadConnectionIds { get; init; } = 10;

    /// <summary><c>udp_bad_connection_id_window</c>: that window, in seconds.</summary>
    public TimeSpan UdpBadConnectionIdWindow { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>udp_max_in_flight</c>: UDP requests one socket keeps waiting on grain calls; beyond it
    /// datagrams are dropped (load shedding instead of an unbounded queue).</summary>
    public int UdpMaxInFlight { get; init; } = 1024;

    /// <summary><c>max_swarms_per_silo</c>: swarms (torrent grain activations) one silo keeps in memory;
    /// beyond it the ones announced longest ago are evicted (their completed counts are saved first).</summary>
    public int MaxSwarmsPerSilo { get; init; } = 500_000;

    /// <summary><c>max_peers_per_swarm</c>: peers one swarm holds; a new peer beyond it evicts the ones
    /// announced longest ago (a batch of about 1/32 of the cap at a time).</summary>
    public int MaxPeersPerSwarm { get; init; } = 100_000;

    /// <summary><c>max_peers_per_silo</c>: peers all of one silo's swarms hold; beyond it the swarms
    /// announced longest ago are evicted, as for max_swarms_per_silo.</summary>
    public int MaxPeersPerSilo { get; init; } = 5_000_000;

    /// <summary><c>max_idle_torrents_listed</c>: torrents without peers (with a completed count) the
    /// torrent list keeps in memory, cluster-wide; beyond it the ones idle longest leave the list
    /// (their counts stay stored and they are listed again when announced).</summary>
    public int MaxIdleTorrentsListed { get; init; } = 1_000_000;

    /// <summary><c>http_max_connections</c>: open HTTP(S) connections in all (tracker listeners and API
    /// together; Kestrel counts them per process); more are refused.</summary>
    public int HttpMaxConnections { get; init; } = 10_000;

    /// <summary><c>http_max_request_line</c>: bytes of method, path and query (a 74-hash scrape is
    /// about 5.3 KB); longer requests get 414.</summary>
    public int HttpMaxRequestLine { get; init; } = 8192;

    /// <summary><c>http_max_header_bytes</c>: bytes of all request headers; more gets 431.</summary>
    public int HttpMaxHeaderBytes { get; init; } = 16_384;

    /// <summary><c>http_header_timeout</c>: seconds a client has to send its request headers (slowloris).</summary>
    public TimeSpan HttpHeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>http_keep_alive_timeout</c>: seconds an idle keep-alive connection stays open.</summary>
    public TimeSpan HttpKeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
