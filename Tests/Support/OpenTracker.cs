using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrleansTracker.Frontends.Client;
using Xunit;

namespace OrleansTracker.Tests.Support;

/// <summary>Runs only where Debian's opentracker is installed; in CI a missing opentracker is a failure.</summary>
public sealed class OpenTrackerFactAttribute : FactAttribute
{
    public OpenTrackerFactAttribute()
    {
        if (OpenTracker.Executable is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = "opentracker is not installed (apt-get install opentracker); set CI=true to make this a failure.";
    }
}

/// <summary>
/// Debian's opentracker (a tracker we did not write) on a free loopback port, TCP and UDP, with a
/// whitelist of one hash: Debian builds it as a closed tracker, so every other hash is refused. Its
/// lifetime is bounded by coreutils' timeout as well as by <see cref="DisposeAsync"/>, so a test run
/// that dies leaves nothing running for long.
/// </summary>
public sealed class OpenTracker : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private Process? _process;
    private string? _directory;

    public static string? Executable { get; } = new[] { "/usr/bin/opentracker", "/usr/sbin/opentracker", "/usr/local/bin/opentracker" }.FirstOrDefault(File.Exists);

    public int Port { get; } = FreePorts.Next();

    /// <summary>The one torrent opentracker accepts.</summary>
    public string ListedHash { get; } = Convert.ToHexStringLower(TestPeers.NewInfoHash());

    public string Udp => $"udp://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";
    public string Http => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/announce";

    public async Task InitializeAsync()
    {
        var executable = Executable ?? throw new InvalidOperationException("opentracker is not installed (apt-get install opentracker)");
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("opentracker runs on Linux");
        _directory = Directory.CreateTempSubdirectory("opentracker-").FullName;
        // opentracker started as root chroots to its working directory and drops to nobody, who must read the whitelist.
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(_directory, readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var whitelist = Path.Combine(_directory, "whitelist.txt");
        await File.WriteAllTextAsync(whitelist, ListedHash + "\n");
        File.SetUnixFileMode(whitelist, readable);
        var config = Path.Combine(_directory, "opentracker.conf");
        await File.WriteAllTextAsync(config, $"""
            listen.tcp 127.0.0.1:{Port}
            listen.udp 127.0.0.1:{Port}
            access.whitelist {whitelist}

            """);
        var info = new ProcessStartInfo("timeout", ["--signal=KILL", ((int)Lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture), executable, "-f", config])
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start opentracker");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Serving once a BEP 15 connect is answered (it opens TCP and UDP before it serves either).
        await Eventually.True(ConnectsAsync, $"opentracker answering on udp 127.0.0.1:{Port}", TimeSpan.FromSeconds(15));
    }

    private async Task<bool> ConnectsAsync()
    {
        if (_process!.HasExited)
            throw new InvalidOperationException($"opentracker exited with {_process.ExitCode}");
        using var session = UdpTrackerSession.Open(new IPEndPoint(IPAddress.Loopback, Port), TimeSpan.FromMilliseconds(300), attempts: 1);
        try
        {
            await session.ConnectAsync();
            return true;
        }
        catch (TrackerProtocolException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        if (_directory is not null)
            Directory.Delete(_directory, recursive: true);
    }
}
