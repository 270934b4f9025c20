using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Deploy;

/// <summary>
/// The release binary, built once per test class exactly as README documents
/// (<c>dotnet publish Silo -c Release -r RID</c>) into a temporary folder, with its own artifacts folder
/// so the publish never touches the build the other tests run from. Bounded: the publish gets
/// <see cref="PublishTimeout"/> (a fresh machine downloads the runtime packs first). Deleted afterwards.
/// </summary>
public sealed class PublishedExecutable : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);

    private readonly string _root = Directory.CreateTempSubdirectory("orleans-tracker-publish-").FullName;

    public string Folder => Path.Combine(_root, "out");

    public string Executable => Path.Combine(Folder, "orleans-tracker");

    /// <summary>Where the single-file host extracts the native SQLite library (kept out of $HOME).</summary>
    public string ExtractionFolder => Path.Combine(_root, "extract");

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in new[]
                 {
                     "publish", Path.Combine(RepoPaths.Root, "Silo", "Silo.csproj"), "-c", "Release",
                     "-r", RuntimeInformation.RuntimeIdentifier, "-o", Folder, "--artifacts-path", Path.Combine(_root, "artifacts"),
                     "-nologo",
                 })
        {
            info.ArgumentList.Add(argument);
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish did not finish within {PublishTimeout}:\n{Text()}");
        }
        if (process.ExitCode != 0 || !File.Exists(Executable))
            throw new InvalidOperationException($"dotnet publish failed with {process.ExitCode}:\n{Text()}");

        void Append(string? line)
        {
            if (line is null)
                return;
            lock (output)
                output.AppendLine(line);
        }

        string Text()
        {
            lock (output)
                return output.ToString();
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
        return Task.CompletedTask;
    }
}
