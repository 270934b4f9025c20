using System.Diagnostics;
using System.Text;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Interop;

/// <summary>Runs libtorrent_announce.py (libtorrent through Debian's python3.11) against tracker URLs.</summary>
internal static class LibtorrentClient
{
    public static string Script => Path.Combine(RepoPaths.Root, "Tests", "Interop", "libtorrent_announce.py");

    /// <summary>The BEP 21 partial-seed run (one file of two unticked).</summary>
    public static string PartialSeedScript => Path.Combine(RepoPaths.Root, "Tests", "Interop", "libtorrent_partial_seed.py");

    /// <summary>
    /// Runs <see cref="Script"/> with a --tracker per URL plus <paramref name="arguments"/>; returns
    /// its exit code and everything it printed. Bounded: killed after two minutes.
    /// </summary>
    public static Task<(int ExitCode, string Report)> RunAsync(IEnumerable<string> trackers, params string[] arguments) =>
        RunAsync(Script, trackers, arguments);

    public static async Task<(int ExitCode, string Report)> RunAsync(string script, IEnumerable<string> trackers, params string[] arguments)
    {
        var info = new ProcessStartInfo(LibtorrentFactAttribute.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var tracker in trackers)
        {
            info.ArgumentList.Add("--tracker");
            info.ArgumentList.Add(tracker);
        }
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var client = Process.Start(info) ?? throw new InvalidOperationException("could not start python3.11");
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await client.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            client.Kill(entireProcessTree: true);
            throw;
        }
        return (client.ExitCode, new StringBuilder().AppendLine(await stdout).AppendLine(await stderr).ToString());
    }
}
