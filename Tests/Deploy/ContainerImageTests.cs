using System.Globalization;
using System.Net;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Deploy;

/// <summary>
/// The container image (deploy/image/build.sh). No container engine runs on the build machine, so
/// the image is started the way an engine would, by hand: its layers as the root file system, a
/// private mount namespace with /proc and /dev, chroot, the image's user, environment and
/// entrypoint. That shows the image is complete (every library the tracker loads is in it) and
/// runs as non-root with config from variables; an engine adds only its own network namespace.
/// </summary>
public sealed class ContainerImageTests(ContainerImage image) : IClassFixture<ContainerImage>
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // a Linux image, checked on Linux
    public void the_image_runs_the_tracker_as_a_non_root_user_and_exposes_the_tracker_and_cluster_ports()
    {
        var config = image.Config;
        Assert.Equal("1654", config.GetProperty("User").GetString());
        Assert.Equal(["/app/orleans-tracker"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/app/", config.GetProperty("WorkingDir").GetString());
        var ports = config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "6969/udp", "7070/tcp", "11111/tcp", "30000/tcp" }, ports);
        // The user owns /app (the default config.toml and SQLite file are written there) and the data volume's mount point.
        Assert.True(File.GetUnixFileMode(Path.Combine(image.Root, "app", "orleans-tracker")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("1654", Owner(Path.Combine(image.Root, "app")));
        Assert.Equal("1654", Owner(Path.Combine(image.Root, "var", "lib", "orleans-tracker")));
        Assert.True(File.Exists(Path.Combine(image.Root, "usr", "local", "bin", "orleans-tracker-health")));
        // A start under load tiers up at once (docs/operations.md, "Start-up cost").
        Assert.Contains("DOTNET_TC_CallCountingDelayMs=0", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task started_like_an_engine_would_it_serves_an_announce_configured_by_variables_and_its_health_check_passes()
    {
        Assert.True(Environment.UserName == "root", "starting the image by hand (chroot, mount namespace) needs root, as in CI");
        var ports = TrackerPorts.Allocate();
        var variables = image.Config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).Concat(
        [
            $"ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS=127.0.0.1:{ports.Udp}",
            $"ORLEANSTRACKER__HTTP_TRACKERS__0__BIND_ADDRESS=127.0.0.1:{ports.Http}",
            $"ORLEANSTRACKER__HTTP_API__BIND_ADDRESS=127.0.0.1:{ports.Api}",
            $"ORLEANSTRACKER__HEALTH_CHECK_API__BIND_ADDRESS=127.0.0.1:{ports.Health}",
            $"ORLEANSTRACKER__CLUSTER__SILO_PORT={ports.Silo}",
            $"ORLEANSTRACKER__CLUSTER__GATEWAY_PORT={ports.Gateway}",
        ]);
        var root = image.Root;
        Directory.CreateDirectory(Path.Combine(root, "proc"));
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        var entrypoint = string.Join(' ', image.Config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        var script = $"mount -t proc proc '{root}/proc' && mount --rbind /dev '{root}/dev' && "
            + $"exec env -i {string.Join(' ', variables.Select(v => $"'{v}'"))} /usr/sbin/chroot --userspec=1654:1654 '{root}' "
            + $"/bin/bash -c 'cd {image.Config.GetProperty("WorkingDir").GetString()} && exec {entrypoint}'";
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-image-run-").FullName;
        var tracker = TrackerProcess.StartRaw(directory, ports, "unshare", new Dictionary<string, string>(),
            "--mount", "--propagation", "private", "--fork", "/bin/bash", "-c", script);
        try
        {
            await tracker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            using (var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, ports.Udp)))
            {
                await udp.ConnectAsync();
                Assert.Equal(1, (await udp.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6881, left: 0)).Seeders);
            }
            Assert.True(File.Exists(Path.Combine(root, "app", "config.toml")), "the default config.toml was not written in /app");
            await ContainerImage.RunAsync("/usr/sbin/chroot", [root, "/usr/local/bin/orleans-tracker-health"], TimeSpan.FromSeconds(20),
                ("HEALTH_PORT", ports.Health.ToString(CultureInfo.InvariantCulture)));
        }
        finally
        {
            await tracker.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Owner(string path) =>
        ContainerImage.RunAsync("stat", ["-c", "%u", path], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult().Trim();
}
