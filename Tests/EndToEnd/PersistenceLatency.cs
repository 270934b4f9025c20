using System.Diagnostics;
using System.Globalization;
using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// Stall detector: while the partitions write 10k dirty completed counts, an announce for an
/// unrelated torrent must still answer promptly. Not a benchmark: the bound is generous, the
/// figures are printed for docs/persistence.md.
/// </summary>
internal static class PersistenceLatency
{
    public const int Torrents = 10_000;
    private const int LoadClients = 32;
    private const int IdleSamples = 1_000;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan P99Bound = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(ITrackerDatabase database, ITestOutputHelper output)
    {
        // The partitions' flush timers start with the silo, just before the UDP port answers, and
        // tick every `interval` seconds. The 10k completions take a few seconds, so with 15 s the
        // first tick after start finds nothing and the next one flushes all 10k at once.
        const int interval = 15;
        var directory = PersistenceEndToEnd.NewDirectory();
        try
        {
            var dbPath = database.NewDbPath(directory);
            var config = PersistenceEndToEnd.Config(database.Driver, dbPath, persistence: true, persistenceInterval: interval);
            await using var tracker = await TrackerProcess.StartAsync(config, directory);
            var started = Stopwatch.StartNew();
            using var probe = await PersistenceEndToEnd.ConnectAsync(tracker, ProbeTimeout);
            var probeHash = TestPeers.NewInfoHash();
            var probePeer = TestPeers.NewPeerId();

            // Warm-up (JIT tiers), then idle figures: no load, nothing to flush.
            await ProbeAsync(probe, probeHash, probePeer, 300);
            var idle = await ProbeAsync(probe, probeHash, probePeer, IdleSamples);

            // 10k torrents, each completed once: 20k announces from 32 clients.
            var loadTime = Stopwatch.StartNew();
            await LoadAsync(tracker);
            loadTime.Stop();
            var storedAfterLoad = await database.CountStoredTorrentsAsync(dbPath);
            output.WriteLine($"load: {Torrents} completed torrents in {loadTime.ElapsedMilliseconds} ms, "
                + $"{storedAfterLoad} already stored, {started.Elapsed.TotalSeconds:F1} s after start");

            // Probe continuously while polling the database until every count is stored.
            using var stop = new CancellationTokenSource();
            var samples = new List<(TimeSpan At, double Ms)>();
            var clock = Stopwatch.StartNew();
            var probing = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    samples.Add((clock.Elapsed, await ProbeOnceAsync(probe, probeHash, probePeer)));
                    await Task.Delay(2);
                }
            });

            TimeSpan? flushStart = storedAfterLoad > 0 ? TimeSpan.Zero : null;
            TimeSpan flushEnd;
            long stored;
            var deadline = TimeSpan.FromSeconds(interval + 120);
            while (true)
            {
                stored = await database.CountStoredTorrentsAsync(dbPath);
                if (stored > storedAfterLoad && flushStart is null)
                    flushStart = clock.Elapsed - TimeSpan.FromMilliseconds(100);
                if (stored >= Torrents || clock.Elapsed > deadline)
                {
                    flushEnd = clock.Elapsed;
                    break;
                }
                await Task.Delay(100);
            }
            await stop.CancelAsync();
            await probing.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(stored >= Torrents, $"only {stored} of {Torrents} counts stored after {deadline}:\n{tracker.Output}");

            var start = flushStart ?? TimeSpan.Zero;
            var during = samples.Where(s => s.At >= start && s.At <= flushEnd).Select(s => s.Ms).ToList();
            var all = samples.Select(s => s.Ms).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{database.Driver}: flush of {Torrents} counts took {(flushEnd - start).TotalMilliseconds:F0} ms"));
            output.WriteLine(Describe("idle", idle));
            output.WriteLine(Describe("flush running", during));
            output.WriteLine(Describe("after load until stored", all));
            Assert.True(during.Count >= 20, $"only {during.Count} probe samples during the flush");
            Assert.True(Percentile(during, 0.99) < P99Bound.TotalMilliseconds, Describe("flush running", during));
            Assert.True(Percentile(all, 0.99) < P99Bound.TotalMilliseconds, Describe("after load until stored", all));
            Assert.Equal(0, await tracker.StopAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            PersistenceEndToEnd.DeleteDirectory(directory);
        }
    }

    private static async Task LoadAsync(TrackerProcess tracker)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, LoadClients).Select(async c =>
        {
            using var client = await PersistenceEndToEnd.ConnectAsync(tracker);
            int i;
            while ((i = Interlocked.Increment(ref next)) < Torrents)
                await PersistenceEndToEnd.CompleteAsync(client, TestPeers.NewInfoHash(), TestPeers.NewPeerId(), (ushort)(10_000 + c));
        })).WaitAsync(TimeSpan.FromSeconds(120));
    }

    private static async Task<List<double>> ProbeAsync(UdpTrackerClient probe, byte[] hash, byte[] peer, int count)
    {
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
            samples.Add(await ProbeOnceAsync(probe, hash, peer));
        return samples;
    }

    /// <summary>One announce round trip in ms; a lost datagram counts as the probe timeout.</summary>
    private static async Task<double> ProbeOnceAsync(UdpTrackerClient probe, byte[] hash, byte[] peer)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await probe.AnnounceAsync(hash, peer, 7777, left: 1000);
        }
        catch (TimeoutException)
        {
            return ProbeTimeout.TotalMilliseconds;
        }
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> samples, double p)
    {
        if (samples.Count == 0)
            return 0;
        var sorted = samples.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static string Describe(string phase, List<double> samples) => string.Create(CultureInfo.InvariantCulture,
        $"{phase}: n={samples.Count} p50={Percentile(samples, 0.50):F2} ms p99={Percentile(samples, 0.99):F2} ms max={(samples.Count == 0 ? 0 : samples.Max()):F2} ms");
}
