namespace OrleansTracker.Tests.Support;

/// <summary>Runs the tracker executable's commands (keys, whitelist, import) as an operator would.</summary>
internal static class TrackerCli
{
    /// <summary>Runs <c>orleans-tracker --config config.toml ARGS</c> in <paramref name="directory"/>; bounded to 60 s.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, params string[] arguments)
    {
        await using var process = TrackerProcess.StartRaw(directory, TrackerPorts.Allocate(), ["--config", "config.toml", .. arguments]);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, process.Output);
    }
}

/// <summary>The tracker client's commands (<c>client</c>, <c>check</c>) run as an operator runs them: a real process, in an empty folder.</summary>
internal static class TrackerClientCli
{
    internal readonly record struct Result(int ExitCode, string Stdout, string Stderr, bool WroteConfig);

    /// <summary>Runs <c>dotnet orleans-tracker.dll ARGS</c>; bounded to 60 s (a start under load takes seconds; the client's own bounds are the test's subject).</summary>
    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("orleans-tracker-client-").FullName;
        try
        {
            var finished = await BoundedProcess.RunAsync("dotnet", [RepoPaths.TrackerDll, .. arguments], TimeSpan.FromSeconds(60), directory,
                [("ORLEANSTRACKER_CONFIG", "")]);
            return new Result(finished.ExitCode, finished.Stdout, finished.Stderr, File.Exists(Path.Combine(directory, "config.toml")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The JSON object the client printed.</summary>
    public static System.Text.Json.JsonElement Json(Result result)
    {
        using var document = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }
}
