using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>
/// One real tracker process with WebSocket listeners on 127.0.0.1 and [::1] (ws://) and on
/// 127.0.0.1 with TLS (wss://), next to UDP and HTTP.
/// </summary>
public sealed class WsTrackerFixture : IAsyncLifetime
{
    internal TrackerProcess Tracker { get; private set; } = null!;
    public int Ws4Port { get; } = FreePorts.Next();
    public int Ws6Port { get; } = FreePorts.Next();
    public int WssPort { get; } = FreePorts.Next();

    public const string Token = "ws-tests-admin-token-0123456789abcdef";

    public string Api => $"http://127.0.0.1:{Tracker.Ports.Api}";

    public string Ws4 => $"ws://127.0.0.1:{Ws4Port}";
    public string Ws6 => $"ws://[::1]:{Ws6Port}";
    public string Wss => $"wss://127.0.0.1:{WssPort}";
    public string Http => $"http://127.0.0.1:{Tracker.Ports.Http}";
    public string CertificatePem => File.ReadAllText(Path.Combine(Tracker.Directory, "tracker.crt"));

    /// <summary>One counter of the admin API's stats JSON.</summary>
    public async Task<long> StatAsync(string name)
    {
        using var http = new HttpClient();
        var json = await http.GetStringAsync($"{Api}/api/v1/stats?token={Token}");
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetInt64();
    }

    public async Task InitializeAsync() => Tracker = await TrackerProcess.StartAsync(Config());

    private string Config() => """
        log_level = "info"
        persistence = false
        """ + ConfigTemplates.LoopbackListeners("ws-tests", Token) + $$"""

        [[ws_trackers]]
        enabled = true
        bind_address = "127.0.0.1:{{Ws4Port}}"
        ssl_enabled = true
        ssl_bind_address = "127.0.0.1:{{WssPort}}"
        ssl_cert_path = "{cert}"
        ssl_key_path = "{key}"

        [[ws_trackers]]
        enabled = true
        bind_address = "[::1]:{{Ws6Port}}"
        """;

    public async Task DisposeAsync()
    {
        await Tracker.DisposeAsync();
        Tracker.DeleteDirectory();
    }
}
