using System.Net.Http.Headers;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Admin;

/// <summary>The real tracker with the admin API on, UDP and HTTP on, shared by a test class.</summary>
public class AdminTrackerFixture : TrackerFixture
{
    public AdminTrackerFixture()
        : this(Config)
    {
    }

    protected AdminTrackerFixture(string config)
        : base(config)
    {
    }

    public const string Token = "MyAccessToken";
    public const string OtherToken = "second-token-of-another-operator";

    public const string Config = """
        log_level = "info"
        mode = "public"
        persistence = false
        db_path = "{dir}/data.db"
        peer_timeout = 900
        cleanup_interval = 600

        [[udp_trackers]]
        enabled = true
        bind_address = "[::]:{udp}"

        [[http_trackers]]
        enabled = true
        bind_address = "[::]:{http}"

        [http_api]
        enabled = true
        bind_address = "127.0.0.1:{api}"

        [http_api.access_tokens]
        admin = "MyAccessToken"
        other = "second-token-of-another-operator"

        [cluster]
        silo_port = {silo}
        gateway_port = {gateway}
        """;

    internal string Api => $"http://127.0.0.1:{Tracker.Ports.Api}";
    internal string Http4 => $"http://127.0.0.1:{Tracker.Ports.Http}";

    /// <summary>A client for the API; callers add the token themselves.</summary>
    internal static HttpClient NewClient() => new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(10) };

    internal static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
