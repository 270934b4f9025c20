using System.Diagnostics;
using OrleansTracker.Tests.EndToEnd;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Interop;

/// <summary>Runs only where Debian's python3.11 can import libtorrent; in CI a missing client is a failure.</summary>
public sealed class LibtorrentFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3.11";

    public LibtorrentFactAttribute()
    {
        if (!IsAvailable.Value && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = "python3-libtorrent is not installed for /usr/bin/python3.11 (apt-get install python3-libtorrent); set CI=true to make this a failure.";
    }

    private static readonly Lazy<bool> IsAvailable = new(() =>
    {
        if (!File.Exists(Python))
            return false;
        using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import libtorrent"]) { RedirectStandardError = true });
        return probe is not null && probe.WaitForExit(20_000) && probe.ExitCode == 0;
    });
}

/// <summary>
/// A BitTorrent client we did not write (libtorrent, through Debian's python3-libtorrent) announces,
/// finds its peer, downloads and scrapes through every frontend of the real tracker process.
/// </summary>
public sealed class LibtorrentInteropTests(PublicTrackerFixture fixture) : IClassFixture<PublicTrackerFixture>
{
    [LibtorrentFact]
    public Task libtorrent_swarms_through_udp_http_and_https_over_ipv4()
    {
        var ports = fixture.Tracker.Ports;
        return RunClient(
            $"udp://127.0.0.1:{ports.Udp}/announce", $"http://127.0.0.1:{ports.Http}/announce", $"https://127.0.0.1:{ports.Https}/announce");
    }

    /// <summary>
    /// libtorrent 2.0.8 writes an IPv6-literal tracker URL's Host header without brackets
    /// ("Host: ::1:7070"), which Kestrel alone would refuse with 400; the tracker listeners blank a
    /// malformed Host first (HostHeaderScrubber), so the seeder and the leecher meet over every
    /// frontend on [::1] too.
    /// </summary>
    [LibtorrentFact]
    public Task libtorrent_swarms_through_udp_http_and_https_over_ipv6()
    {
        var ports = fixture.Tracker.Ports;
        return RunClient($"udp://[::1]:{ports.Udp}/announce", $"http://[::1]:{ports.Http}/announce", $"https://[::1]:{ports.Https}/announce");
    }

    /// <summary>HTTP alone to [::1]: the leecher can learn the seeder from no other tracker.</summary>
    [LibtorrentFact]
    public Task libtorrent_downloads_through_http_alone_over_ipv6() =>
        RunClient($"http://[::1]:{fixture.Tracker.Ports.Http}/announce");

    /// <summary>
    /// BEP 21: libtorrent downloads one file of two (the other unticked), is then finished but not
    /// a seed, and announces with event paused (HTTP) or 4 (UDP); both must be answered and the
    /// partial seed stay listed. The tracker refused both before issue 21.
    /// </summary>
    [LibtorrentFact]
    public async Task libtorrent_partial_seed_keeps_announcing_over_udp_and_http()
    {
        var ports = fixture.Tracker.Ports;
        var (exitCode, report) = await LibtorrentClient.RunAsync(LibtorrentClient.PartialSeedScript,
            [$"udp://127.0.0.1:{ports.Udp}/announce", $"http://127.0.0.1:{ports.Http}/announce"], "--timeout", "60");
        Assert.True(exitCode == 0, $"libtorrent partial seed failed ({exitCode}):\n{report}\ntracker:\n{fixture.Tracker.Output}");
        Assert.Contains("PARTIAL_SEED", report, StringComparison.Ordinal);
    }

    private async Task RunClient(params string[] trackers)
    {
        var (exitCode, report) = await LibtorrentClient.RunAsync(trackers, "--expect-peers", "1", "--timeout", "60");
        Assert.True(exitCode == 0, $"libtorrent interop failed ({exitCode}):\n{report}\ntracker:\n{fixture.Tracker.Output}");
        Assert.Contains("INTEROP", report, StringComparison.Ordinal);
    }
}
