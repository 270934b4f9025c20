namespace OrleansTracker.Grains;

/// <summary>The swarm rules and housekeeping intervals the silo configures from config.toml.</summary>
public sealed class TorrentOptions
{
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(900);
    public int DefaultNumWant { get; set; } = 50;
    public int MaxNumWant { get; set; } = 74;
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromSeconds(600);
    public bool CleanupPeerless { get; set; } = true;
    public TimeSpan PersistenceInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often each silo checks whether a sweep partition was activated again elsewhere (and
    /// lost its list of swarms). Not in config.toml: it bounds how long after a silo loss the
    /// surviving swarms are swept and counted again, at 16 small calls per silo per check.
    /// </summary>
    public TimeSpan PartitionCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a new sweep partition activation waits before it reads which torrents are stored
    /// (and from then on lets unknown torrents skip the database read at activation). Not in
    /// config.toml: it must outlast a first write that registered with the partition's previous
    /// activation (storage command timeouts are 30 s), so such a row is in the scan.
    /// </summary>
    public TimeSpan StoredFilterDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>max_swarms_per_silo</c>: swarm activations one silo keeps before it evicts those announced
    /// longest ago (<see cref="Torrents.SiloSwarms"/>). A swarm costs about 3.5 KB of RSS with two peers
    /// (1M torrents / 2M peers: 3.65 GB, docs/benchmarks.md), so the default bounds a random-hash flood at roughly 1.8 GB.
    /// </summary>
    public int MaxSwarmsPerSilo { get; set; } = 500_000;

    /// <summary>
    /// <c>max_peers_per_swarm</c>: peers one swarm holds before a new one evicts those announced
    /// longest ago (<see cref="Swarm.SwarmOptions.MaxPeers"/>). Large real swarms reach tens of
    /// thousands of peers; at about 100 bytes a peer the default holds one swarm to roughly 10 MB.
    /// </summary>
    public int MaxPeersPerSwarm { get; set; } = 100_000;

    /// <summary>peers_per_address_per_swarm: peers one address (IPv6: /64) may hold in one swarm; 0 sets no limit.</summary>
    public int MaxPeersPerAddress { get; set; }

    /// <summary>
    /// <c>max_peers_per_silo</c>: peers all of one silo's swarms hold before the swarms announced
    /// longest ago are evicted (<see cref="Torrents.SiloSwarms"/>). The per-swarm and swarm caps alone
    /// would allow far more than any machine has; at roughly 200 bytes of RSS a peer (100k
    /// torrents / 1M peers: 640 MB with the swarms, docs/benchmarks.md) the default is about 1 GB.
    /// </summary>
    public int MaxPeersPerSilo { get; set; } = 5_000_000;

    /// <summary>
    /// <c>max_idle_torrents_listed</c>: torrents without peers (but with a completed count) the
    /// torrent list keeps in memory, for the whole cluster (<see cref="Partitions.IdleTorrentList"/>).
    /// About 150 bytes each (a dictionary entry, an age-queue entry and a sorted-set node), so the default is about 150 MB.
    /// </summary>
    public int MaxIdleTorrentsListed { get; set; } = 1_000_000;

    /// <summary>
    /// How long an idle swarm grain may stay in memory. It must outlive a peer's timeout (a swarm
    /// with live peers has had an announce within peer_timeout) and two sweep periods, so the
    /// runtime never collects a swarm whose peers are still valid.
    /// </summary>
    public TimeSpan IdleCollectionAge =>
        (PeerTimeout > CleanupInterval * 2 ? PeerTimeout : CleanupInterval * 2) + TimeSpan.FromMinutes(1);
}
