using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Admin;

/// <summary>Debian's chromium, headless, for tests that need a real browser.</summary>
internal static class HeadlessChromium
{
    /// <summary>Loads <paramref name="url"/> in a fresh headless profile, lets its scripts run (10 s of virtual time) and returns the DOM. Bounded: killed after 60 s.</summary>
    public static async Task<string> DumpDom(string url)
    {
        var profile = Directory.CreateTempSubdirectory("orleans-tracker-chromium-");
        try
        {
            string[] arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile.FullName}",
                "--virtual-time-budget=10000", "--dump-dom", url,
            ];
            return (await BoundedProcess.RunAsync(ChromiumFactAttribute.Chromium, arguments, TimeSpan.FromSeconds(60))).Stdout;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
