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
