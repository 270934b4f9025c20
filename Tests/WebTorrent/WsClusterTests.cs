using System.Globalization;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.WebTorrent.WsTrackerClient;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>
/// Two silo processes (mode = "localhost"), a WebSocket listener on each: a peer's offer and answer
/// reach a peer whose socket the other silo holds; a silo that dies takes its sockets' peers out
/// of the swarms within one sweep.
/// </summary>
public sealed class WsClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Offer = """{"type":"offer","sdp":"v=0\r\n"}""";
    private const string Answer = """{"type":"answer","sdp":"v=0\r\n"}""";

    private static string Config(int wsPort, int? primarySiloPort) => $$"""
        log_level = "info"
        persistence = false
        cleanup_interval = 2
        """ + ConfigTemplates.LoopbackListeners(http: false, api: false) + $$"""
        {{(primarySiloPort is { } port ? $"primary_silo = \"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}\"" : "")}}

        [[ws_trackers]]
        enabled = true
        bind_address = "127.0.0.1:{{wsPort.ToString(CultureInfo.InvariantCulture)}}"
        """;

    [Fact]
    public async Task offer_and_answer_cross_silos_and_a_dead_silos_peers_leave_within_one_sweep()
    {
        var (ws1, ws2) = (FreePorts.Next(), FreePorts.Next());
        await using var silo1 = await TrackerProcess.StartAsync(Config(ws1, null));
        await using var silo2 = await TrackerProcess.StartAsync(Config(ws2, silo1.Ports.Silo));
        try
        {
            var hash = TestPeers.NewInfoHash();
            var (idA, idB, offerId) = (TestPeers.NewPeerId(), TestPeers.NewPeerId(), TestPeers.NewPeerId());
            await using var a = await ConnectAsync($"ws://127.0.0.1:{ws1}");
            var b = await ConnectAsync($"ws://127.0.0.1:{ws2}");

            // A announces on silo 1 first, so its swarm most likely lives there (and survives silo 2).
            await a.AnnounceAsync(hash, idA, ",\"left\":0");
            await a.ReceiveAsync();
            await b.AnnounceAsync(hash, idB, $",\"left\":9,\"offers\":[{{\"offer\":{Offer},\"offer_id\":{Binary(offerId)}}}]");
            Assert.Equal((1, 1), Counts(await b.ReceiveAsync()));

            var offer = await a.ReceiveAsync();
            Assert.Equal(idB, Bytes(offer.GetProperty("peer_id")));
            Assert.Equal(Offer, offer.GetProperty("offer").GetRawText());
            await a.SendAsync($$"""{"action":"announce","info_hash":{{Binary(hash)}},"peer_id":{{Binary(idA)}},"to_peer_id":{{Binary(idB)}},"offer_id":{{Binary(offerId)}},"answer":{{Answer}}}""");
            var answer = await b.ReceiveAsync();
            Assert.Equal(idA, Bytes(answer.GetProperty("peer_id")));
            Assert.Equal(Answer, answer.GetProperty("answer").GetRawText());

            // Silo 2 dies with B's socket: B leaves the swarm once the membership has declared the
            // silo dead and a sweep (cleanup_interval = 2 s) has run.
            silo2.Kill();
            await Eventually.Equal((1, 0), async () =>
            {
                await a.AnnounceAsync(hash, idA, ",\"left\":0");
                var response = await a.ReceiveAsync(TimeSpan.FromSeconds(25));
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {response}");
                return response.TryGetProperty("complete", out _) ? Counts(response) : (-1, -1);
            }, "B gone from the swarm after its silo died", TimeSpan.FromSeconds(30));
        }
        finally
        {
            output.WriteLine("---- silo 1 ----\n" + silo1.Output);
            output.WriteLine("---- silo 2 ----\n" + silo2.Output);
            silo1.DeleteDirectory();
            silo2.DeleteDirectory();
        }
    }

    private static (int Seeders, int Leechers) Counts(System.Text.Json.JsonElement response) =>
        (response.GetProperty("complete").GetInt32(), response.GetProperty("incomplete").GetInt32());
}
