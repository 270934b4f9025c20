using System.Globalization;
using OrleansTracker.Tests.EndToEnd;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.TrackerClient;

/// <summary>
/// Our tracker for the client tests: UDP and HTTP on [::] (so 127.0.0.1 and [::1] both reach them)
/// and a WebSocket listener on 127.0.0.1, plain and TLS (its certificate is self-signed).
/// </summary>
public abstract class ClientTrackerFixture(string mode) : AccessTrackerFixture(mode)
{
    public int WsPort { get; } = FreePorts.Next();
    public int WssPort { get; } = FreePorts.Next();

    public string Udp4 => $"udp://127.0.0.1:{Tracker.Ports.Udp.ToString(CultureInfo.InvariantCulture)}";
    public string Udp6 => $"udp://[::1]:{Tracker.Ports.Udp.ToString(CultureInfo.InvariantCulture)}";
    public string Http => $"http://127.0.0.1:{Tracker.Ports.Http.ToString(CultureInfo.InvariantCulture)}/announce";
    public string Ws => $"ws://127.0.0.1:{WsPort.ToString(CultureInfo.InvariantCulture)}";
    public string Wss => $"wss://127.0.0.1:{WssPort.ToString(CultureInfo.InvariantCulture)}";

    protected override string MoreConfig() => $"""


        [[ws_trackers]]
        enabled = true
        bind_address = "127.0.0.1:{WsPort.ToString(CultureInfo.InvariantCulture)}"
        ssl_enabled = true
        ssl_bind_address = "127.0.0.1:{WssPort.ToString(CultureInfo.InvariantCulture)}"
        ssl_cert_path = "{"{cert}"}"
        ssl_key_path = "{"{key}"}"
        """;
}

public sealed class PublicClientTrackerFixture() : ClientTrackerFixture("public");

/// <summary>private_listed: <see cref="AccessSeeds.PermanentKey"/> and <see cref="AccessSeeds.Listed"/> are seeded.</summary>
public sealed class PrivateClientTrackerFixture() : ClientTrackerFixture("private_listed");
