using System.Net.WebSockets;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.WebTorrent.WsTrackerClient;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>Each WebSocket limit of [limits], passed over a real socket: the connection is closed with a reason, others never notice.</summary>
public sealed class WsLimitsTests(WsLimitsTests.TightLimitsFixture fixture) : IClassFixture<WsLimitsTests.TightLimitsFixture>
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(10);

    public sealed class TightLimitsFixture : IAsyncLifetime
    {
        internal TrackerProcess Tracker { get; private set; } = null!;
        public int Ws4Port { get; } = FreePorts.Next();
        public int Ws6Port { get; } = FreePorts.Next();

        public async Task InitializeAsync() => Tracker = await TrackerProcess.StartAsync("""
            log_level = "info"
            persistence = false
            announce_interval = 1
            announce_interval_min = 1
            """ + ConfigTemplates.LoopbackListeners() + $$"""

            [[ws_trackers]]
            enabled = true
            bind_address = "127.0.0.1:{{Ws4Port}}"

            [[ws_trackers]]
            enabled = true
            bind_address = "[::1]:{{Ws6Port}}"

            [limits]
            ws_max_connections = 4
            ws_max_connections_per_address = 3
            ws_max_message_bytes = 1024
            ws_max_offers_per_announce = 2
            ws_messages_per_second = 3
            ws_idle_timeout = 15
            ws_max_torrents_per_connection = 2
            """);

        public async Task DisposeAsync()
        {
            await Tracker.DisposeAsync();
            Tracker.DeleteDirectory();
        }
    }

    private string Ws4 => $"ws://127.0.0.1:{fixture.Ws4Port}";
    private string Ws6 => $"ws://[::1]:{fixture.Ws6Port}";

    private static async Task AssertClosed(WsTrackerClient client, WebSocketCloseStatus status, string reason, TimeSpan? wait = null)
    {
        Assert.Equal(status, await client.WaitForCloseAsync(wait ?? CloseWait));
        Assert.Contains(reason, client.CloseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task connections_per_address_and_per_process_are_capped()
    {
        // One test owns the connection counts: per address 3, per process 4.
        var open = new List<WsTrackerClient>();
        try
        {
            for (var i = 0; i < 3; i++)
                open.Add(await ConnectAsync(Ws4));
            await using var fourthFromAddress = await ConnectAsync(Ws4);
            await AssertClosed(fourthFromAddress, WebSocketCloseStatus.PolicyViolation, "too many connections from this address");

            open.Add(await ConnectAsync(Ws6));
            await using var fifth = await ConnectAsync(Ws6);
            await AssertClosed(fifth, WebSocketCloseStatus.PolicyViolation, "too many connections");

            // The connections that were let in still work.
            await open[0].AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId());
            Assert.Equal(1, (await open[0].ReceiveAsync()).GetProperty("incomplete").GetInt32());
        }
        finally
        {
            foreach (var client in open)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task limits_of_one_connection_close_it_with_a_reason()
    {
        // Size: 1024 bytes at most.
        await using (var big = await ConnectAsync(Ws6))
        {
            await big.SendAsync(new string(' ', 2000) + "{}");
            await AssertClosed(big, WebSocketCloseStatus.MessageTooBig, "larger than 1024 bytes");
        }
        // Offers: 2 per announce at most.
        await using (var offers = await ConnectAsync(Ws6))
        {
            var offer = $"{{\"offer\":{{}},\"offer_id\":{Binary(TestPeers.NewPeerId())}}}";
            await offers.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), $",\"offers\":[{offer},{offer},{offer}]");
            await AssertClosed(offers, WebSocketCloseStatus.PolicyViolation, "more than 2 offers");
        }
        // Torrents: 2 per connection at most.
        await using (var torrents = await ConnectAsync(Ws6))
        {
            var peer = TestPeers.NewPeerId();
            for (var i = 0; i < 2; i++)
            {
                await torrents.AnnounceAsync(TestPeers.NewInfoHash(), peer);
                await torrents.ReceiveAsync();
            }
            await torrents.AnnounceAsync(TestPeers.NewInfoHash(), peer);
            await AssertClosed(torrents, WebSocketCloseStatus.PolicyViolation, "more than 2 torrents");
        }
        // Rate: 3 messages a second, bursts of 6; twenty at once pass it.
        await using (var flood = await ConnectAsync(Ws6))
        {
            for (var i = 0; i < 20 && flood.State == WebSocketState.Open; i++)
                await flood.SendAsync("{\"action\":\"scrape\",\"info_hash\":\"AAAAAAAAAAAAAAAAAAAA\"}");
            await AssertClosed(flood, WebSocketCloseStatus.PolicyViolation, "too many messages per second");
        }
    }

    [Fact]
    public async Task a_silent_connection_is_closed_after_the_idle_timeout()
    {
        // 15 s: long enough that the connections the other tests hold (the caps) are never closed
        // as idle on a loaded machine, which would free their slots.
        await using var silent = await ConnectAsync(Ws6);
        await AssertClosed(silent, WebSocketCloseStatus.NormalClosure, "idle timeout", TimeSpan.FromSeconds(30));
    }
}
