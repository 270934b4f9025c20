using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Deploy;

/// <summary>
/// The runtime settings the tracker ships with, in the runtimeconfig every launch reads (dotnet run,
/// the published executable, the container image): each was chosen by a measurement in
/// docs/benchmarks.md, and a project-file edit that drops one would go unnoticed otherwise.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("System.GC.Server", "false")]          // one small heap; a tracker silo is one process per machine
    [InlineData("System.GC.Concurrent", "false")]      // no background GC: a few % less CPU per UDP answer, same pauses
    [InlineData("System.GC.ConserveMemory", "9")]      // compacts gen 2 instead of growing the heap
    [InlineData("System.Runtime.TieredPGO", "true")]
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0")]   // idle workers sleep at once: less CPU per answer
    public void the_tracker_runs_with_the_measured_runtime_settings(string name, string expected)
    {
        var path = Path.ChangeExtension(RepoPaths.TrackerDll, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty(name, out var value), $"{name} is missing from {path}");
        Assert.Equal(expected, value.ToString().ToLowerInvariant());
    }
}
