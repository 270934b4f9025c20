using System.Diagnostics;
using System.Net;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>Runs where Debian's chromium is installed; in CI a missing browser is a failure.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Chromium) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = "chromium is not installed (apt-get install chromium); set CI=true to make this a failure.";
    }
}

/// <summary>The real tracker with [dashboard] on, on its own port.</summary>
public sealed class DashboardTrackerFixture() : TrackerFixture(Config)
{
    public static readonly string Config = """
        log_level = "info"
        persistence = false
        db_path = "{dir}/data.db"
        """ + ConfigTemplates.LoopbackListeners(api: false) + """
        [dashboard]
        enabled = true
        bind_address = "127.0.0.1:{dashboard}"
        """;
}

/// <summary>The Orleans dashboard loads in a real (headless) browser and shows this silo.</summary>
public sealed class DashboardTests(DashboardTrackerFixture fixture) : IClassFixture<DashboardTrackerFixture>
{
    [ChromiumFact]
    public async Task the_dashboard_page_renders_the_silo_in_headless_chromium()
    {
        var url = $"http://127.0.0.1:{fixture.Tracker.Ports.Dashboard}/#/silos";
        var expected = $"127.0.0.1:{fixture.Tracker.Ports.Silo}@";
        // The page renders the silo once its scripts have polled it.
        var dom = await Eventually.Until(() => HeadlessChromium.DumpDom(url), d => d.Contains(expected, StringComparison.Ordinal),
            "the dashboard page showing the silo", TimeSpan.FromSeconds(60));
        Assert.Contains("<title>Orleans Dashboard</title>", dom, StringComparison.Ordinal);
        Assert.Contains(expected, dom, StringComparison.Ordinal);
        Assert.Contains("Active", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_dashboard_answers_only_on_its_own_port()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var onTracker = await http.GetAsync($"http://127.0.0.1:{fixture.Tracker.Ports.Http}/");
        Assert.Equal(HttpStatusCode.NotFound, onTracker.StatusCode);
        using var onDashboard = await http.GetAsync($"http://127.0.0.1:{fixture.Tracker.Ports.Dashboard}/");
        Assert.Equal(HttpStatusCode.OK, onDashboard.StatusCode);
    }
}
