namespace OrleansTracker.Tests.Config;

/// <summary>Finds the checkout's root: the nearest folder above the test binaries holding OrleansTracker.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OrleansTracker.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no OrleansTracker.sln above {AppContext.BaseDirectory}");
    }
}
