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
        var commandLine = new List<string> { script };
        foreach (var tracker in trackers)
            commandLine.AddRange(["--tracker", tracker]);
        commandLine.AddRange(arguments);
        var client = await BoundedProcess.RunAsync(LibtorrentFactAttribute.Python, commandLine, TimeSpan.FromSeconds(120));
        return (client.ExitCode, new StringBuilder().AppendLine(client.Stdout).AppendLine(client.Stderr).ToString());
    }
}
