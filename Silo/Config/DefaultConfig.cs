namespace OrleansTracker.Silo.Config;

/// <summary>
/// The text written to <c>config.toml</c> when no config file exists, and committed as the repository's
/// <c>/config.toml</c> (a test keeps the two identical). Every option appears with its default value and a
/// comment; optional options with no default are shown commented out.
/// </summary>
public static class DefaultConfig
{
    /// <summary>The default file's text, with <c>\n</c> line endings whatever the checkout's.</summary>
    public static string Text { get; } = """
        # OrleansTracker configuration (TOML). Key names follow the Torrust tracker.
        # Every option is shown with its default value; a missing key takes its default, an unknown key is an error.
        # Durations are whole seconds. Another file can be chosen with --config PATH or ORLEANSTRACKER_CONFIG.
        # Any key can also be set by an environment variable, which wins over this file: ORLEANSTRACKER__ and the
        # key path in upper case with "__" between levels, e.g. ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN or
        # ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS (block 0 of [[udp_trackers]]). See docs/configuration.md.

        # ---- Logging ----------------------------------------------------------------

        # Least severe messages written: "trace", "debug", "info", "warn", "error", "critical" or "off".
        # Per-request messages are "debug" or below, so keep "info" or above under load.
        log_level = "info"

        # How messages are written to standard output: "text" (one line each) or "json" (one JSON object
        # per line, for log shippers). Tokens and keys are masked in both.
        log_format = "text"

        # ---- Access -----------------------------------------------------------------

        # Who may use the tracker: "public" (any torrent), "listed" (whitelisted torrents only),
        # "private" (clients need a key) or "private_listed" (whitelisted torrents and a key).
        mode = "public"

        # ---- Storage ----------------------------------------------------------------

        # Database engine: "sqlite3" or "mysql".
        db_driver = "sqlite3"

        # sqlite3: the database file, relative to the working directory unless absolute.
        # mysql: a URL such as "mysql://user:pass@host:3306/tracker", or a connection string such as
        # "Server=host;Database=tracker;User ID=user;Password=pass".
        db_path = "data.db"

        # Keep completed counts in the database: true or false (false: in memory, lost on restart).
        # The whitelist and keys of the listed and private modes are kept in the database either way.
        persistence = true

        # How often completed counts are written to the database, in seconds (at least 1).
        persistence_interval = 60

        # ---- Swarms -----------------------------------------------------------------

        # How often peers that stopped announcing are removed, in seconds (at least 1).
        cleanup_interval = 600

        # During cleanup, also forget torrents that have no peers left: true or false.
        cleanup_peerless = true

        # A peer not heard from for this long is dropped, in seconds (at least 1).
        peer_timeout = 900

        # How long clients are told to wait between announces ("interval"), in seconds (at least 1).
        announce_interval = 120

        # The least time clients must wait between announces ("min interval"), in seconds
        # (1 to announce_interval).
        announce_interval_min = 120

        # Peers returned when a client does not say how many it wants (1 to max_numwant).
        default_numwant = 50

        # The most peers returned by one announce (1 to 200).
        max_numwant = 74

        # The most info hashes in one HTTP scrape (1 to 300); UDP scrapes hold at most 74 by their format.
        max_scrape_hashes = 74

        # ---- Network ----------------------------------------------------------------

        # This host's public IP address, given to other peers instead of the address of a peer that
        # announces from the tracker's own host (loopback). Unset by default; remove the "#" to set it.
        # external_ip = "203.0.113.7"

        # Behind a reverse proxy: take the client's address from the X-Forwarded-For header: true or false.
        # Enable only when a proxy always sets it, or clients can forge their address.
        on_reverse_proxy = false

        # ---- UDP tracker (BEP 15) ---------------------------------------------------
        # On Linux, read and answer UDP in batches (recvmmsg/sendmmsg, up to 32 datagrams per system
        # call): true or false. false, and any other platform, uses one system call per datagram.
        udp_batched_syscalls = true

        # One [[udp_trackers]] block per listener. With no block, one listener on [::]:6969 starts;
        # set enabled = false to run without UDP.

        [[udp_trackers]]
        # Start this listener: true or false.
        enabled = true
        # Address and port to listen on: "0.0.0.0:6969" for IPv4 only, "[::]:6969" for IPv6 and, on a
        # dual-stack host, IPv4 too. Port 0 picks a free port.
        bind_address = "[::]:6969"

        # ---- HTTP tracker (BEP 3, BEP 23 compact peers) -----------------------------
        # One [[http_trackers]] block per listener. With no block, one listener on [::]:7070 starts;
        # set enabled = false to run without HTTP.

        [[http_trackers]]
        # Start this listener: true or false.
        enabled = true
        # Address and port for plain HTTP, written as for UDP.
        bind_address = "[::]:7070"
        # Also serve HTTPS on ssl_bind_address: true or false. Needs ssl_cert_path and ssl_key_path.
        ssl_enabled = false
        # Address and port for HTTPS.
        ssl_bind_address = "[::]:7443"
        # PEM certificate (chain) file for HTTPS; required when ssl_enabled = true.
        # ssl_cert_path = "/etc/orleans-tracker/cert.pem"
        # PEM private key file for HTTPS; required when ssl_enabled = true.
        # ssl_key_path = "/etc/orleans-tracker/key.pem"

        # ---- Admin REST API ---------------------------------------------------------

        [http_api]
        # Start the API: true or false.
        enabled = true
        # Address and port; loopback by default so other hosts cannot reach the API.
        bind_address = "127.0.0.1:1212"
        # Serve the API over HTTPS on bind_address: true or false. Needs ssl_cert_path and ssl_key_path.
        ssl_enabled = false
        # PEM certificate (chain) file; required when ssl_enabled = true.
        # ssl_cert_path = "/etc/orleans-tracker/cert.pem"
        # PEM private key file; required when ssl_enabled = true.
        # ssl_key_path = "/etc/orleans-tracker/key.pem"

        # Tokens the API accepts (?token=...), one per line as name = "token" (not empty).
        # Change this well-known default before the API is reachable from anywhere else.
        [http_api.access_tokens]
        admin = "MyAccessToken"

        # ---- Orleans cluster --------------------------------------------------------

        [cluster]
        # Silos with the same cluster id form one cluster.
        cluster_id = "orleans-tracker"
        # Names this service's stored state; keep it the same across deployments.
        service_id = "orleans-tracker"
        # TCP port for silo-to-silo traffic (1 to 65535).
        silo_port = 11111
        # TCP port for Orleans clients such as separately hosted frontends (1 to 65535).
        gateway_port = 30000
        # How silos find each other (see docs/cluster.md):
        #   "localhost": one silo, or 2-3 silos on this machine that join the one at primary_silo
        #                (that primary is a single point of failure: the cluster stops without it);
        #   "adonet":    a membership table in the MySQL/MariaDB database of db_path (needs
        #                db_driver = "mysql"); silos on any number of machines, none of them special.
        mode = "localhost"
        # IP address other silos and frontends use to reach this one ("adonet" mode). Unset by default:
        # the address of this host's name.
        # advertised_ip = "10.0.0.5"
        # 127.0.0.1:port (its silo_port) of the primary silo in "localhost" mode. Unset by default: this
        # silo is the primary.
        # primary_silo = "127.0.0.1:11111"
        # "silo": hosts torrents and serves UDP/HTTP (a complete tracker). "frontend": serves UDP/HTTP
        # only, as an Orleans client of the silos (found in the database with "adonet", or at
        # 127.0.0.1:gateway_port with "localhost"); it opens no silo or gateway port of its own.
        role = "silo"
        # Seconds a silo first waits for another's liveness probe. Probes repeat every 0.5x to 4x this
        # (adapting to the measured round trips); a crashed silo is declared dead after about three,
        # 1-3 s with 1. A silo frozen (GC pause, paused VM) for over ~12x this is declared dead too and
        # exits when it wakes: raise it where hosts freeze longer (Orleans' own default is 5).
        probe_timeout = 1
        # Mutual TLS between silos and from frontends on silo_port and gateway_port: this node's PEM
        # certificate. tls_cert_path, tls_key_path and tls_ca_path go together; unset: plain TCP, open to
        # anyone who reaches the ports (see docs/security.md).
        # tls_cert_path = "/etc/orleans-tracker/cluster.crt"
        # Its PEM private key.
        # tls_key_path = "/etc/orleans-tracker/cluster.key"
        # PEM CA certificate(s) every peer's certificate must chain to (or the one self-signed
        # certificate all nodes share); a connection without such a certificate is refused.
        # tls_ca_path = "/etc/orleans-tracker/cluster-ca.crt"
        # Orleans' Kubernetes hosting: silo name and address from the pod (POD_NAME, POD_NAMESPACE,
        # POD_IP of the downward API) and silos of deleted pods declared dead at once. Only inside a
        # pod, with mode = "adonet" (deploy/kubernetes/).
        kubernetes = false

        # ---- Dashboard --------------------------------------------------------------

        [dashboard]
        # Start the Orleans dashboard web UI: true or false.
        enabled = false
        # Address and port of the dashboard; loopback by default.
        bind_address = "127.0.0.1:8080"

        # ---- Limits -----------------------------------------------------------------

        [limits]
        # Bad UDP requests (forged, expired or replayed connection ids, malformed packets) one address may
        # send per window before they are dropped unanswered for the rest of the window; 0 never drops.
        # Connects and requests with a valid connection id are always served. IPv6 counts per /64.
        udp_bad_connection_ids = 10
        # That window, in seconds.
        udp_bad_connection_id_window = 120
        # UDP requests one socket keeps waiting on swarms; beyond it datagrams are dropped (load shedding).
        udp_max_in_flight = 1024
        # Swarms one silo keeps in memory (measured ~3.5 KB each with 2 peers: 500000 is ~1.8 GB);
        # beyond it the swarms announced longest ago are evicted (completed counts are saved first and
        # come back; their peers return on their next announce). Bounds random-info-hash floods.
        max_swarms_per_silo = 500000
        # Peers one swarm holds (~100 bytes each: 100000 is ~10 MB). Large real swarms reach tens of
        # thousands of peers, so this leaves room; beyond it a new peer evicts the peers announced
        # longest ago (active peers re-announce and stay). Bounds floods of invented peer ids into one hash.
        max_peers_per_swarm = 100000
        # Peers all of one silo's swarms hold (~200 bytes each with their swarms: 5000000 is ~1 GB); beyond
        # it the swarms announced longest ago are evicted, as above. Bounds floods of invented peers spread
        # over many hashes. At least max_peers_per_swarm.
        max_peers_per_silo = 5000000
        # Torrents without peers but with a completed count that the admin API's torrent list keeps in
        # memory, for the whole cluster (~150 bytes each). Beyond it the ones idle longest leave the list;
        # their completed counts stay in the database and they are listed again when announced. Bounds
        # floods of started+completed announces with random hashes.
        max_idle_torrents_listed = 1000000
        # Open HTTP(S) connections in all (tracker listeners and API together); more are refused.
        http_max_connections = 10000
        # Bytes of an HTTP request line (method, path, query); longer gets 414. A 74-hash scrape needs ~5.3 KB.
        http_max_request_line = 8192
        # Bytes of all HTTP request headers; more gets 431.
        http_max_header_bytes = 16384
        # Seconds a client has to send its request headers before the connection is closed (slowloris).
        http_header_timeout = 10
        # Seconds an idle keep-alive connection stays open.
        http_keep_alive_timeout = 60

        """.ReplaceLineEndings("\n");
}
