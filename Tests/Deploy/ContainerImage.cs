using System.Formats.Tar;
using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Deploy;

/// <summary>
/// The container image of deploy/image/build.sh, unpacked: its OCI config and its layers extracted
/// into one root file system. .ci/run builds the image in a step of its own and names the archive
/// in ORLEANSTRACKER_IMAGE_ARCHIVE; without it the fixture runs the script itself (a self-contained
/// publish: 31 s on the quiet 2-core build machine, 3 min under heavy load). Deleted afterwards.
/// </summary>
public sealed class ContainerImage : IAsyncLifetime
{
    public const string ArchiveVariable = "ORLEANSTRACKER_IMAGE_ARCHIVE";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(12);
    private readonly string _work = Directory.CreateTempSubdirectory("orleans-tracker-image-").FullName;

    /// <summary>The image's root file system (every layer extracted in order).</summary>
    public string Root => Path.Combine(_work, "rootfs");

    /// <summary>The "config" object of the image configuration (User, Env, Entrypoint, ExposedPorts…).</summary>
    public JsonElement Config { get; private set; }

    public async Task InitializeAsync()
    {
        var archive = Environment.GetEnvironmentVariable(ArchiveVariable) is { Length: > 0 } built ? built : await BuildAsync();
        var layout = Path.Combine(_work, "layout");
        Directory.CreateDirectory(layout);
        await TarFile.ExtractToDirectoryAsync(archive, layout, overwriteFiles: false);
        var index = Json(Path.Combine(layout, "index.json"));
        var manifest = Json(Blob(layout, index.GetProperty("manifests")[0]));
        Config = Json(Blob(layout, manifest.GetProperty("config"))).GetProperty("config").Clone();
        Directory.CreateDirectory(Root);
        foreach (var layer in manifest.GetProperty("layers").EnumerateArray())
        {
            // Through tar(1): it keeps owners and modes exactly as the layer gives them.
            await RunAsync("tar", ["-xzf", Blob(layout, layer), "-C", Root], TimeSpan.FromMinutes(2));
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<string> BuildAsync()
    {
        var output = Path.Combine(_work, "out");
        await RunAsync(Path.Combine(RepoPaths.Root, "deploy", "image", "build.sh"), [], BuildTimeout,
            ("OUT", output), ("ARTIFACTS", Path.Combine(_work, "artifacts")));
        return Path.Combine(output, "orleans-tracker.tar");
    }

    private static string Blob(string layout, JsonElement descriptor) =>
        Path.Combine(layout, "blobs", "sha256", descriptor.GetProperty("digest").GetString()!["sha256:".Length..]);

    private static JsonElement Json(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    /// <summary>Runs <paramref name="file"/> to its end (bounded); asserts exit 0; returns its standard output.</summary>
    internal static async Task<string> RunAsync(string file, string[] arguments, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var run = await BoundedProcess.RunAsync(file, arguments, timeout, environment: environment);
        Assert.True(run.ExitCode == 0, $"{file} failed ({run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
        return run.Stdout;
    }
}
