using System.Diagnostics;
using OrleansTracker.Tests.EndToEnd;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Interop;

/// <summary>
/// A private_listed tracker whose whitelist holds the interop torrent: libtorrent's content is
/// deterministic for a given --seed, so its info hash is known before the tracker starts.
/// </summary>
public sealed class PrivateInteropTrackerFixture() : AccessTrackerFixture("private_listed")
{
    public const int ContentSeed = 4242;

    protected override IEnumerable<byte[]> MoreListed()
    {
        if (!File.Exists(LibtorrentFactAttribute.Python))
            return [];
        var info = new ProcessStartInfo(LibtorrentFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { LibtorrentClient.Script, "--seed", ContentSeed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--print-hash-only" })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var hex = process.StandardOutput.ReadToEnd().Trim();
        return process.WaitForExit(30_000) && process.ExitCode == 0 && hex.Length == 40 ? [Convert.FromHexString(hex)] : [];
    }
}

/// <summary>
/// libtorrent (a client we did not write) swarms through a private_listed tracker with the key in
/// the announce URL: over HTTP as a path segment, over UDP as BEP 41 URL data that libtorrent
/// sends by itself. HTTP scrape is skipped: BEP 48 derives no scrape URL from /announce/KEY. A UDP
/// scrape carries no key but comes from the sender (address and connection id) that announced with
/// one, so it shows real counts.
/// </summary>
public sealed class LibtorrentPrivateTrackerTests(PrivateInteropTrackerFixture fixture) : IClassFixture<PrivateInteropTrackerFixture>
{
    [LibtorrentFact]
    public Task libtorrent_swarms_with_its_key_over_udp_and_http_on_ipv4()
    {
        var ports = fixture.Tracker.Ports;
        return RunClient(
            $"udp://127.0.0.1:{ports.Udp}/announce/{AccessSeeds.PermanentKey}",
            $"http://127.0.0.1:{ports.Http}/announce/{AccessSeeds.PermanentKey}");
    }

    /// <summary>
    /// A run of its own: one peer id announcing over IPv4 and IPv6 is one peer at its latest
    /// address (the swarm rule), so mixed-family runs would see it flip between families.
    /// </summary>
    [LibtorrentFact]
    public Task libtorrent_swarms_with_its_key_over_udp_on_ipv6() =>
        RunClient($"udp://[::1]:{fixture.Tracker.Ports.Udp}/announce/{AccessSeeds.PermanentKey}");

    [LibtorrentFact]
    public async Task libtorrents_udp_scrape_of_a_private_tracker_shows_the_seeder()
    {
        var (exitCode, report) = await LibtorrentClient.RunAsync([$"udp://127.0.0.1:{fixture.Tracker.Ports.Udp}/announce/{AccessSeeds.PermanentKey}"],
            "--seed", PrivateInteropTrackerFixture.ContentSeed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--expect-peers", "1", "--timeout", "60");
        Assert.True(exitCode == 0, $"libtorrent exit {exitCode}:\n{report}\ntracker:\n{fixture.Tracker.Output}");
        // The script itself waits for a scrape with complete >= 1; the seeder and the finished leecher show.
        Assert.Matches("\"scrape\": \\{\"complete\": [1-9]", report);
    }

    [LibtorrentFact]
    public async Task libtorrent_reports_the_trackers_failure_reason_for_an_unknown_key()
    {
        var ports = fixture.Tracker.Ports;
        var report = await RunClient(expectSuccess: false, $"http://127.0.0.1:{ports.Http}/announce/{AccessSeeds.UnknownKey}");
        Assert.True(report.Contains("unknown authentication key", StringComparison.Ordinal), report);
    }

    private Task<string> RunClient(params string[] trackers) => RunClient(expectSuccess: true, trackers);

    private async Task<string> RunClient(bool expectSuccess, params string[] trackers)
    {
        var (exitCode, report) = await LibtorrentClient.RunAsync(trackers,
            "--seed", PrivateInteropTrackerFixture.ContentSeed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--no-scrape", "--expect-peers", "1", "--timeout", expectSuccess ? "60" : "20");
        Assert.True((exitCode == 0) == expectSuccess, $"libtorrent exit {exitCode}:\n{report}\ntracker:\n{fixture.Tracker.Output}");
        return report;
    }
}
