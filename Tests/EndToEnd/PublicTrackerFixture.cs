using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>One real tracker process in public mode, shared by the end-to-end tests of a class.</summary>
public sealed class PublicTrackerFixture() : TrackerFixture(Config)
{
    public const string Config = """
        log_level = "info"
        mode = "public"
        persistence = false
        db_path = "{dir}/data.db"
        announce_interval = 120
        announce_interval_min = 60
        peer_timeout = 900
        cleanup_interval = 600
        default_numwant = 50
        max_numwant = 74

        [[udp_trackers]]
        enabled = true
        bind_address = "[::]:{udp}"

        [[http_trackers]]
        enabled = true
        bind_address = "[::]:{http}"
        ssl_enabled = true
        ssl_bind_address = "[::]:{https}"
        ssl_cert_path = "{cert}"
        ssl_key_path = "{key}"

        [http_api]
        enabled = false

        [cluster]
        silo_port = {silo}
        gateway_port = {gateway}

        # Every test talks from 127.0.0.1 and many send junk on purpose: the throttle (tested on its
        # own tracker in LimitsTests) would make them depend on each other.
        [limits]
        udp_bad_connection_ids = 0
        """;
}
