using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Deploy;

/// <summary>
/// deploy/orleans-tracker.service passes <c>systemd-analyze verify</c>, run against a temporary install
/// root laid out as docs/operations.md says (the executable in /opt/orleans-tracker, the unit in
/// /etc/systemd/system, the system's own units beside it), so nothing outside a temp folder is touched.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // systemd exists on Linux only
public sealed class SystemdUnitTests
{
    private const string Analyze = "/usr/bin/systemd-analyze";
    private const string SystemUnits = "/usr/lib/systemd/system";
    private const string UnitPath = "etc/systemd/system/orleans-tracker.service";
    private const string ExecutablePath = "opt/orleans-tracker/orleans-tracker";

    [SystemdFact]
    public async Task the_unit_verifies_cleanly_against_the_documented_install_root()
    {
        var root = InstallRoot(withExecutable: true);
        try
        {
            var (exitCode, errors) = await VerifyAsync(root);

            Assert.True(exitCode == 0, $"systemd-analyze verify failed ({exitCode}):\n{errors}");
            Assert.True(errors.Length == 0, $"systemd-analyze verify warned:\n{errors}"); // unknown keys are only warnings
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The check is real: the same unit without the executable it starts fails it.</summary>
    [SystemdFact]
    public async Task the_check_fails_when_the_executable_is_missing()
    {
        var root = InstallRoot(withExecutable: false);
        try
        {
            var (exitCode, errors) = await VerifyAsync(root);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("/opt/orleans-tracker/orleans-tracker", errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void the_unit_runs_the_documented_command_as_its_own_user_and_stops_within_a_bound()
    {
        var unit = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "orleans-tracker.service"));

        Assert.Contains("ExecStart=/opt/orleans-tracker/orleans-tracker --config /etc/orleans-tracker/config.toml\n", unit, StringComparison.Ordinal);
        Assert.Contains("User=orleans-tracker\n", unit, StringComparison.Ordinal);
        Assert.Contains("Restart=on-failure\n", unit, StringComparison.Ordinal);
        Assert.Contains("RestartPreventExitStatus=2\n", unit, StringComparison.Ordinal);
        Assert.Contains("Environment=DOTNET_TC_CallCountingDelayMs=0\n", unit, StringComparison.Ordinal);
        Assert.Matches(@"\nTimeoutStopSec=\d+\n", unit);
        var operations = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "operations.md"));
        Assert.Contains("deploy/orleans-tracker.service", operations, StringComparison.Ordinal);
        Assert.Contains("/opt/orleans-tracker/orleans-tracker", operations, StringComparison.Ordinal);
    }

    private static string InstallRoot(bool withExecutable)
    {
        var root = Directory.CreateTempSubdirectory("orleans-tracker-systemd-").FullName;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, UnitPath))!);
        File.Copy(Path.Combine(RepoPaths.Root, "deploy", "orleans-tracker.service"), Path.Combine(root, UnitPath));
        // The targets the unit orders itself after (network-online.target, sysinit.target…) must exist in the root.
        CopyDirectory(SystemUnits, Path.Combine(root, "usr/lib/systemd/system"));
        if (withExecutable)
        {
            var executable = Path.Combine(root, ExecutablePath);
            Directory.CreateDirectory(Path.GetDirectoryName(executable)!);
            File.WriteAllText(executable, "#!/bin/sh\n");
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return root;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            // Unit files only; links to /dev/null (masked units) and other oddities are not needed to verify ours.
            if (new FileInfo(file).LinkTarget is null)
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static async Task<(int ExitCode, string Errors)> VerifyAsync(string root)
    {
        var verified = await BoundedProcess.RunAsync(Analyze, ["verify", $"--root={root}", "/" + UnitPath], TimeSpan.FromSeconds(60));
        return (verified.ExitCode, (verified.Stdout + verified.Stderr).Trim());
    }
}

/// <summary>[Fact] that needs systemd-analyze: skipped with a reason where it is missing, unless CI=true.</summary>
public sealed class SystemdFactAttribute : FactAttribute
{
    public SystemdFactAttribute()
    {
        if (!File.Exists("/usr/bin/systemd-analyze") && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = "systemd-analyze is not installed (apt-get install systemd); set CI=true to make this a failure.";
    }
}
