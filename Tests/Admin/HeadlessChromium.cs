using System.Diagnostics;

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
            var info = new ProcessStartInfo(ChromiumFactAttribute.Chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile.FullName}",
                         "--virtual-time-budget=10000", "--dump-dom", url,
                     })
                info.ArgumentList.Add(argument);
            using var chromium = Process.Start(info) ?? throw new InvalidOperationException("could not start chromium");
            var stdout = chromium.StandardOutput.ReadToEndAsync();
            _ = chromium.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await chromium.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                chromium.Kill(entireProcessTree: true);
                throw new TimeoutException("chromium did not finish within 60 s");
            }
            return await stdout;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
