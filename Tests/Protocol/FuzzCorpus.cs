using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>Replays the committed AFL seed corpora (fuzz/corpus/&lt;target&gt;/) through a target's checks.</summary>
internal static class FuzzCorpus
{
    public static void Replay(string target, Action<byte[]> check)
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "fuzz", "corpus", target));
        Assert.NotEmpty(files);
        foreach (var file in files)
            check(File.ReadAllBytes(file));
    }
}
