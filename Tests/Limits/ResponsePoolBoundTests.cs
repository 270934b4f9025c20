using System.Reflection;
using OrleansTracker.Frontends.Logic;
using Xunit;

namespace OrleansTracker.Tests.Limits;

/// <summary>
/// The cap on Orleans' per-thread completion-source pools reaches Orleans' internals by reflection:
/// this fails when an Orleans upgrade renames them, so the leak cannot come back unnoticed.
/// </summary>
public sealed class ResponsePoolBoundTests
{
    [Fact]
    public void the_announce_scrape_and_untyped_completion_source_pools_are_capped_per_thread()
    {
        var pools = ResponsePoolBound.Apply();

        Assert.Equal(3, pools.Count);
        foreach (var pool in pools)
        {
            var size = pool.GetType().GetProperty("MaxPoolSize", BindingFlags.Public | BindingFlags.Instance)!;
            Assert.Equal(ResponsePoolBound.PerThread, (int)size.GetValue(pool)!);
        }
    }
}
