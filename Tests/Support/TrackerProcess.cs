using System.Diagnostics;
using System.Net;
using System.Text;

namespace OrleansTracker.Tests.Support;

/// <summary>
/// The real tracker as a separate process on free ports, for end-to-end tests over real sockets.
/// Every wait is bounded; disposing stops the process (SIGTERM, then kill) and deletes its folder.
/// </summary>
internal sealed class TrackerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();

    // The config the tracker runs on, when the test knows it: its TCP listeners are waited for.
    private readonly string? _configPath;

    private TrackerProcess(Process process, string directory, TrackerPorts ports, string? configPath)
    {
        _process = process;
        _configPath = configPath;
        Directory = directory;
        Ports = ports;
        process.OutputDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data is not null)
            {
                lock (_output)
                    _standardOutput.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Directory { get; }
    public TrackerPorts Ports { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Standard output alone (the log; <see cref="Output"/> interleaves standard error).</summary>
    public string StandardOutput
    {
        get
        {
            lock (_output)
                return _standardOutput.ToString();
        }
    }

    /// <summary>Config text with {udp}, {http}, {https}, {silo}, {gateway}, {api}, {dashboard}, {health}, {dir}, {cert}, {key} filled in.</summary>
    public static string Fill(string template, string directory, TrackerPorts ports, (string Cert, string Key) pem) =>
        template.Replace("{udp}", ports.Udp.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{http}", ports.Http.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{https}", ports.Https.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{silo}", ports.Silo.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{gateway}", ports.Gateway.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{api}", ports.Api.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{dashboard}", ports.Dashboard.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{health}", ports.Health.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{dir}", directory)
            .Replace("{cert}", pem.Cert)
            .Replace("{key}", pem.Key);

    /// <summary>Starts the tracker with <paramref name="configTemplate"/> and waits until its UDP port answers.</summary>
    public static async Task<TrackerProcess> StartAsync(string configTemplate, string? directory = null, TrackerPorts? ports = null)
    {
        directory ??= System.IO.Directory.CreateTempSubdirectory("orleans-tracker-e2e-").FullName;
        ports ??= TrackerPorts.Allocate();
        var pem = TestCertificate.WritePem(directory);
        var configPath = Path.Combine(directory, "config.toml");
        await File.WriteAllTextAsync(configPath, Fill(configTemplate, directory, ports, pem));
        var tracker = Launch(directory, ports, null, null, configTemplate.Contains("[health_check_api]", StringComparison.Ordinal), "--config", configPath);
        var process = new TrackerProcess(tracker, directory, ports, configPath);
        try
        {
            var quiet = System.Text.RegularExpressions.Regex.IsMatch(configTemplate, "log_level\\s*=\\s*\"(warn|error|critical|off)\"");
            await process.WaitUntilServingAsync(TimeSpan.FromSeconds(60), waitForReadyLine: !quiet);
        }
        catch
        {
            await process.DisposeAsync(); // never leave a half-started tracker running
            throw;
        }
        return process;
    }

    /// <summary>Runs the tracker with the given arguments in <paramref name="directory"/> without waiting for it to serve.</summary>
    public static TrackerProcess StartRaw(string directory, TrackerPorts ports, params string[] arguments) =>
        new(Launch(directory, ports, null, null, false, arguments), directory, ports, TrackerListeners.ConfigPathIn(directory, arguments));

    /// <summary>Runs <paramref name="executable"/> (null: the tracker dll through dotnet) with the given
    /// arguments and extra environment variables, without waiting for it to serve.</summary>
    public static TrackerProcess StartRaw(string directory, TrackerPorts ports, string? executable,
        IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        new(Launch(directory, ports, executable, environment, false, arguments), directory, ports, TrackerListeners.ConfigPathIn(directory, arguments));

    /// <summary>
    /// Starts the process. The health-check API is on by default at 127.0.0.1:1313, which every tracker
    /// the tests start in parallel would want: unless the config file (<paramref name="configSetsHealthCheck"/>)
    /// or <paramref name="environment"/> sets it, it goes to the free port <see cref="TrackerPorts.Health"/>.
    /// </summary>
    private static Process Launch(string directory, TrackerPorts ports, string? executable, IReadOnlyDictionary<string, string>? environment,
        bool configSetsHealthCheck, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (executable is null)
            info.ArgumentList.Add(RepoPaths.TrackerDll);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        // The test runner's own settings must not leak into the tracker under test.
        info.Environment.Remove("ORLEANSTRACKER_CONFIG");
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("ORLEANSTRACKER__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(inherited);
        environment ??= new Dictionary<string, string>();
        if (!environment.Keys.Any(k => k.StartsWith("ORLEANSTRACKER__HEALTH_CHECK_API__", StringComparison.Ordinal)) && !configSetsHealthCheck)
            info.Environment["ORLEANSTRACKER__HEALTH_CHECK_API__BIND_ADDRESS"] = $"127.0.0.1:{ports.Health.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the tracker");
    }

    /// <summary>
    /// The one wait for a started tracker: until the UDP port answers a connect, with
    /// <paramref name="waitForReadyLine"/> (logging at info) until the tracker logged "Tracker ready"
    /// (after every listener is open), and until each TCP listener of its config accepts (a quiet
    /// tracker logs no ready line, and Kestrel opens after the UDP port).
    /// </summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout, bool waitForReadyLine = true)
    {
        var deadline = DateTime.UtcNow + timeout;
        await WaitUntilUdpServesAsync(timeout, waitForReadyLine);
        if (_configPath is not null && File.Exists(_configPath))
        {
            foreach (var listener in TrackerListeners.Tcp(_configPath))
                await WaitUntilTcpAcceptsAsync(listener, deadline - DateTime.UtcNow);
        }
    }

    private async Task WaitUntilUdpServesAsync(TimeSpan timeout, bool waitForReadyLine)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"tracker exited with {_process.ExitCode}:\n{Output}");
            using var client = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, Ports.Udp), TimeSpan.FromMilliseconds(500));
            try
            {
                await client.ConnectAsync();
                while (waitForReadyLine && !Output.Contains("Tracker ready", StringComparison.Ordinal))
                {
                    if (DateTime.UtcNow > deadline || _process.HasExited)
                        throw new TimeoutException($"tracker answered UDP but never logged 'Tracker ready' within {timeout}:\n{Output}");
                    await Task.Delay(50);
                }
                return;
            }
            catch (TimeoutException)
            {
                // not up yet
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"tracker did not answer on UDP {Ports.Udp} within {timeout}:\n{Output}");
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public Task WaitUntilTcpAcceptsAsync(int port, TimeSpan timeout) =>
        WaitUntilTcpAcceptsAsync(new IPEndPoint(IPAddress.Loopback, port), timeout);

    private async Task WaitUntilTcpAcceptsAsync(IPEndPoint endPoint, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"tracker exited with {_process.ExitCode}:\n{Output}");
            using var socket = new System.Net.Sockets.Socket(endPoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(endPoint);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Signals.Terminate(_process.Id);
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"tracker did not stop within {timeout} after SIGTERM:\n{Output}");
            }
        }
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Waits for the process to exit on its own (killing it after <paramref name="timeout"/>); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tracker did not exit within {timeout}:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    public void DeleteDirectory()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}

internal sealed record TrackerPorts(int Udp, int Http, int Https, int Silo, int Gateway, int Api = 0, int Dashboard = 0, int Health = 0)
{
    public static TrackerPorts Allocate() => new(
        FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
}

internal static class Signals
{
    public static void Terminate(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit(5000);
    }
}
