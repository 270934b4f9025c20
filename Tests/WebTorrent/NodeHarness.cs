using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>
/// Runs where node, npm, Debian's chromium and `ip netns` (as root) are available; in CI a missing
/// one is a failure (as for libtorrent and chromium elsewhere), and .ci/run installs them all.
/// </summary>
public sealed class WebTorrentFactAttribute : FactAttribute
{
    public WebTorrentFactAttribute()
    {
        if (NodeHarness.Missing.Value is { } missing && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = $"{missing}; set CI=true to make this a failure.";
    }
}

/// <summary>
/// The npm packages of Tests/WebTorrent/js (installed once from package-lock.json with
/// <c>npm ci --ignore-scripts</c>: no install script may download anything) and the node scripts
/// that use them.
/// </summary>
internal static class NodeHarness
{
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "Tests", "WebTorrent", "js");

    public static readonly Lazy<string?> Missing = new(() =>
        !File.Exists("/usr/bin/chromium") ? "chromium is not installed (apt-get install chromium)"
        : Which("node") is null || Which("npm") is null ? "node and npm are not installed"
        : Which("ip") is null ? "iproute2 (ip netns) is not installed"
        // The tests make a network namespace of their own (ip netns add), which needs root.
        : !Environment.IsPrivilegedProcess ? "not root: ip netns add needs root"
        : null);

    private static readonly SemaphoreSlim InstallOnce = new(1, 1);

    /// <summary>npm ci when node_modules is missing or older than the lock file (about 10 s, once).</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallOnce.WaitAsync();
        try
        {
            var stamp = Path.Combine(Folder, "node_modules", ".package-lock.json");
            if (File.Exists(stamp) && File.GetLastWriteTimeUtc(stamp) >= File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json")))
                return;
            var (code, output) = await RunAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
            Assert.True(code == 0, "npm ci failed:\n" + output);
        }
        finally
        {
            InstallOnce.Release();
        }
    }

    /// <summary>Runs a command in the js folder; returns its exit code and its output (stdout then stderr).</summary>
    public static async Task<(int Code, string Output)> RunAsync(string command, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var run = await BoundedProcess.RunAsync(command, arguments, timeout, Folder);
        return (run.ExitCode, run.Stdout + run.Stderr);
    }

    /// <summary>The JSON after "RESULT " in a script's output.</summary>
    public static System.Text.Json.JsonElement Result(string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException("no RESULT line:\n" + output);
        return System.Text.Json.JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
