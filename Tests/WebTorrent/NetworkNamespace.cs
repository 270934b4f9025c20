using System.Diagnostics;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>
/// A network namespace of the test's own, with loopback up and a veth pair carrying 198.18.0.1/24
/// (RFC 2544's benchmarking range) and a default route. WebRTC gathers candidates from interfaces
/// that are not loopback and only once a default route exists; inside the namespace that traffic
/// can reach nothing but the namespace itself (the other end of the pair leads nowhere). The
/// tracker and the clients run inside it, so every WebRTC packet stays on this machine.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    public string Name { get; } = "ot-ws-" + Guid.NewGuid().ToString("N")[..8];

    public NetworkNamespace()
    {
        Ip("netns", "add", Name);
        try
        {
            Exec("ip", "link", "set", "lo", "up");
            Exec("ip", "link", "add", "wt0", "type", "veth", "peer", "name", "wt1");
            Exec("ip", "addr", "add", "198.18.0.1/24", "dev", "wt0");
            Exec("ip", "link", "set", "wt1", "up");
            Exec("ip", "link", "set", "wt0", "up");
            Exec("ip", "route", "add", "default", "dev", "wt0");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Arguments that run <paramref name="command"/> inside the namespace: <c>ip netns exec NAME command …</c>.</summary>
    public string[] Wrap(params string[] command) => ["netns", "exec", Name, .. command];

    /// <summary>Starts the tracker inside the namespace and waits for its ready line.</summary>
    public async Task<TrackerProcess> StartTrackerAsync(string config)
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-netns-").FullName;
        var ports = TrackerPorts.Allocate();
        var pem = TestCertificate.WritePem(directory);
        var configPath = Path.Combine(directory, "config.toml");
        await File.WriteAllTextAsync(configPath, TrackerProcess.Fill(config, directory, ports, pem));
        // ip netns exec replaces itself with the command: the process is the tracker itself.
        var tracker = TrackerProcess.StartRaw(directory, ports, "ip", new Dictionary<string, string>(),
            Wrap("dotnet", RepoPaths.TrackerDll, "--config", configPath));
        // Its sockets are in the namespace, out of the test's reach: the ready line is the condition.
        var ready = await Eventually.Holds(
            () => Task.FromResult(tracker.HasExited || tracker.Output.Contains("Tracker ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        if (!ready || tracker.HasExited)
        {
            var output = tracker.Output;
            await tracker.DisposeAsync();
            throw new InvalidOperationException("the tracker did not start in the namespace:\n" + output);
        }
        return tracker;
    }

    public void Dispose()
    {
        // Whatever still runs inside goes first, then the namespace (the veth pair goes with it).
        using var pids = Process.Start(new ProcessStartInfo("ip", ["netns", "pids", Name]) { RedirectStandardOutput = true });
        var running = pids?.StandardOutput.ReadToEnd() ?? "";
        pids?.WaitForExit(5000);
        foreach (var pid in running.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                Process.GetProcessById(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture)).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
        }
        Ip("netns", "del", Name);
    }

    private void Exec(params string[] command) => Ip(Wrap(command));

    private static void Ip(params string[] arguments)
    {
        using var ip = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not run ip");
        var error = ip.StandardError.ReadToEnd();
        ip.WaitForExit(10_000);
        if (ip.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error}");
    }
}
