namespace OrleansTracker.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The folder holding OrleansTracker.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The tracker's entry assembly, copied next to the tests by the project reference.</summary>
    public static string TrackerDll => Path.Combine(AppContext.BaseDirectory, "orleans-tracker.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansTracker.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("OrleansTracker.sln not found above " + AppContext.BaseDirectory);
    }
}
