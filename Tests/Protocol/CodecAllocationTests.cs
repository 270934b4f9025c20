using OrleansTracker.Tests.Support;
using OrleansTracker.Bench;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// The codec paths allocate nothing per call (issue "Performance", goal 4). Counted, not timed:
/// GC.GetAllocatedBytesForCurrentThread over many calls after a warm-up (the first calls may
/// allocate once: tiered JIT, static caches), so the test is deterministic on a busy machine. The
/// calls are the ones bench/Codecs measures with BenchmarkDotNet (CodecCases is linked from there).
/// </summary>
public sealed class CodecAllocationTests
{
    private const int Calls = 10_000;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in new CodecCases().All())
            data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void codec_call_allocates_nothing(string name)
    {
        var run = new CodecCases().All().Single(c => c.Name == name).Run;
        var check = 0;
        for (var i = 0; i < 100; i++)
            check += run();

        ThreadAllocations.AssertNothingPerCall(Calls, () => check += run());
        Assert.NotEqual(0, check);
    }
}
