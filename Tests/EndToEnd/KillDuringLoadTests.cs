using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// kill -9 in the middle of UDP and HTTP announce load (with completed events) and admin changes,
/// then a restart on the same SQLite file. The promise, precisely: every whitelist entry and key the
/// API acknowledged is there; every completed event acknowledged at least
/// <c>persistence_interval</c> + <see cref="WriteSlack"/> before the kill is counted; nothing is
/// counted that was never sent. Events acknowledged later may be lost (they wait for the next flush).
/// </summary>
[Collection(PersistenceEndToEndCollection.Name)]
public sealed class KillDuringLoadTests(ITestOutputHelper output)
{
    private const int PersistenceInterval = 2;
    private const string Token = "load-token";
    // A flush tick starts a write; the write itself takes time (SQLite with synchronous = FULL on a
    // machine busy with this very load). One second covers it with a wide margin.
    private static readonly TimeSpan WriteSlack = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LoadBeforeKill = TimeSpan.FromSeconds(6);

    private static readonly string Config = """
        log_level = "info"
        mode = "public"
        persistence = true
        db_driver = "sqlite3"
        db_path = "{dir}/data.db"
        persistence_interval = 2
        """ + ConfigTemplates.LoopbackListeners("test", "load-token");

    [Fact]
    public async Task kill_9_under_load_keeps_every_key_and_whitelist_entry_and_completed_counts_older_than_one_interval()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-kill-load-").FullName;
        var ports = TrackerPorts.Allocate();
        var hashes = Enumerable.Range(0, 64).Select(_ => TestPeers.NewInfoHash()).ToArray();
        var load = new CompletedLedger(hashes.Length);
        var whitelisted = new ConcurrentBag<string>();
        var keys = new ConcurrentBag<string>();
        TimeSpan killedAt;
        try
        {
            await using (var tracker = await TrackerProcess.StartAsync(Config, directory, ports))
            {
                await tracker.WaitUntilTcpAcceptsAsync(ports.Api, TimeSpan.FromSeconds(30));
                using var killed = new CancellationTokenSource();
                var clock = Stopwatch.StartNew();
                var workers = new List<Task>();
                for (var w = 0; w < 2; w++)
                {
                    var worker = w;
                    workers.Add(Task.Run(() => UdpLoad(ports.Udp, hashes, load, worker, clock, killed.Token)));
                    workers.Add(Task.Run(() => HttpLoad(ports.Http, hashes, load, worker, clock, killed.Token)));
                }
                workers.Add(Task.Run(() => AdminLoad(ports.Api, whitelisted, keys, killed.Token)));

                // A fixed wait, one of the few: the kill must land in the middle of steady load, which
                // is a stretch of time, not an event (the load loops stop on the same clock).
                await Task.Delay(LoadBeforeKill);
                tracker.Kill();
                killedAt = clock.Elapsed;
                await killed.CancelAsync();
                Assert.NotEqual(0, await tracker.WaitForExitAsync(TimeSpan.FromSeconds(10)));
                await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
            }
            output.WriteLine($"killed after {killedAt.TotalSeconds:0.0} s: {load.TotalAcknowledged} completed events acknowledged, " +
                             $"{whitelisted.Count} whitelist entries and {keys.Count} keys added");
            Assert.True(load.TotalAcknowledged > 100, $"the load barely ran: {load.TotalAcknowledged} completed events");
            Assert.NotEmpty(whitelisted);
            Assert.NotEmpty(keys);

            await using var restarted = await TrackerProcess.StartAsync(Config, directory, ports);
            await restarted.WaitUntilTcpAcceptsAsync(ports.Api, TimeSpan.FromSeconds(30));
            using var api = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            var storedWhitelist = Strings(await api.GetStringAsync($"http://127.0.0.1:{ports.Api}/api/v1/whitelist?token={Token}"));
            var storedKeys = Strings(await api.GetStringAsync($"http://127.0.0.1:{ports.Api}/api/v1/keys?token={Token}"));
            Assert.Empty(whitelisted.Except(storedWhitelist));
            Assert.Empty(keys.Except(storedKeys));

            using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, ports.Udp), TimeSpan.FromSeconds(5));
            await udp.ConnectAsync();
            var mustHaveBy = killedAt - TimeSpan.FromSeconds(PersistenceInterval) - WriteSlack;
            long kept = 0, required = 0;
            for (var start = 0; start < hashes.Length; start += 32)
            {
                var batch = hashes.Skip(start).Take(32).ToArray();
                var counts = await udp.ScrapeAsync(batch);
                for (var i = 0; i < batch.Length; i++)
                {
                    var h = start + i;
                    var floor = load.AcknowledgedBy(h, mustHaveBy);
                    Assert.InRange(counts[i].Completed, floor, load.Sent(h));
                    kept += counts[i].Completed;
                    required += floor;
                }
            }
            output.WriteLine($"after restart: {kept} completed counted; {required} were required (acknowledged by {mustHaveBy.TotalSeconds:0.0} s), " +
                             $"{load.TotalAcknowledged} acknowledged in all");
            Assert.True(required > 0, "no completed event was old enough to be required: the bound was not tested");
            Assert.Equal(0, await restarted.StopAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // a temp folder left behind is harmless
            }
        }
    }

    private static async Task UdpLoad(int port, byte[][] hashes, CompletedLedger load, int worker, Stopwatch clock, CancellationToken killed)
    {
        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, port), TimeSpan.FromSeconds(2));
        await udp.ConnectAsync();
        for (var i = worker; !killed.IsCancellationRequested && i < 1_000_000; i += 2)
        {
            var h = i % hashes.Length;
            var peer = TestPeers.NewPeerId();
            try
            {
                await udp.AnnounceAsync(hashes[h], peer, 6881, left: 100, udpEvent: 2);
                load.Sending(h);
                await udp.AnnounceAsync(hashes[h], peer, 6881, left: 0, udpEvent: 1);
                load.Acknowledged(h, clock.Elapsed);
            }
            catch (TimeoutException)
            {
                if (killed.IsCancellationRequested || clock.Elapsed > LoadBeforeKill)
                    return;   // the tracker is gone
                // A datagram lost on a busy machine is not a durability failure: the event stays
                // "sent" (it may have counted) and unacknowledged (it need not have).
            }
        }
    }

    private static async Task HttpLoad(int port, byte[][] hashes, CompletedLedger load, int worker, Stopwatch clock, CancellationToken killed)
    {
        using var http = new TrackerHttpClient($"http://127.0.0.1:{port}");
        for (var i = worker; !killed.IsCancellationRequested && i < 1_000_000; i += 2)
        {
            var h = (i * 7 + 3) % hashes.Length;
            var peer = TestPeers.NewPeerId();
            try
            {
                Assert.Null(TrackerHttpClient.Failure(await http.AnnounceAsync("/announce", hashes[h], peer, 6882, left: 100, "started")));
                load.Sending(h);
                Assert.Null(TrackerHttpClient.Failure(await http.AnnounceAsync("/announce", hashes[h], peer, 6882, left: 0, "completed")));
                load.Acknowledged(h, clock.Elapsed);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && (killed.IsCancellationRequested || clock.Elapsed > LoadBeforeKill))
            {
                return;   // the tracker is gone
            }
        }
    }

    private static async Task AdminLoad(int port, ConcurrentBag<string> whitelisted, ConcurrentBag<string> keys, CancellationToken killed)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var api = $"http://127.0.0.1:{port}";
        for (var i = 0; !killed.IsCancellationRequested && i < 10_000; i++)
        {
            // Not cancelled by the kill: a request either gets its answer (then it must survive) or fails.
            var none = CancellationToken.None;
            try
            {
                var hash = Convert.ToHexStringLower(TestPeers.NewInfoHash());
                using (var added = await http.PostAsync($"{api}/api/v1/whitelist/{hash}?token={Token}", null, none))
                {
                    Assert.Equal(HttpStatusCode.OK, added.StatusCode);
                    whitelisted.Add(hash);
                }
                using var body = new StringContent("""{"key": null, "seconds_valid": 3600}""", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync($"{api}/api/v1/keys?token={Token}", body, none);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(none));
                keys.Add(json.RootElement.GetProperty("key").GetString()!);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && killed.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException) when (!killed.IsCancellationRequested)
            {
                // killed between the kill and the cancellation: the next check ends the loop
                await Task.Delay(100, CancellationToken.None);   // backs off the load loop (not a wait)
            }
        }
    }

    /// <summary>Every string value in a JSON document (hashes of the whitelist, keys of the key list).</summary>
    private static HashSet<string> Strings(string json)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String: found.Add(e.GetString()!); break;
                case JsonValueKind.Array: foreach (var x in e.EnumerateArray()) Walk(x); break;
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) Walk(p.Value); break;
            }
        }
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement);
        return found;
    }

    /// <summary>Per torrent: completed events sent, and when each answer came (test clock).</summary>
    private sealed class CompletedLedger(int torrents)
    {
        private readonly long[] _sent = new long[torrents];
        private readonly ConcurrentQueue<(int Torrent, TimeSpan At)> _acknowledged = new();

        public long TotalAcknowledged => _acknowledged.Count;

        public void Sending(int torrent) => Interlocked.Increment(ref _sent[torrent]);

        public void Acknowledged(int torrent, TimeSpan at) => _acknowledged.Enqueue((torrent, at));

        public long Sent(int torrent) => Interlocked.Read(ref _sent[torrent]);

        public long AcknowledgedBy(int torrent, TimeSpan by) => _acknowledged.Count(a => a.Torrent == torrent && a.At <= by);
    }
}
