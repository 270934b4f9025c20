namespace OrleansTracker.Tests.Support;

/// <summary>
/// What code allocates on the calling thread, measured so that background work cannot fail a test:
/// the least over several windows. A tier-1 recompile's stub, a static cache or a pool growing once
/// can land in one window; a real allocation per call lands in every window. Tests compare the
/// least against a bound that a real per-call allocation (24 bytes at the least, an object header
/// and a method table pointer plus one field) would exceed many times over, and say why.
/// </summary>
internal static class ThreadAllocations
{
    public const int Windows = 5;

    /// <summary>The least bytes the calling thread allocated in one of <see cref="Windows"/> runs of <paramref name="window"/>.</summary>
    public static long LeastPerWindow(Action window)
    {
        var least = long.MaxValue;
        for (var i = 0; i < Windows; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            window();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    /// <summary>
    /// Asserts that <paramref name="call"/>, run <paramref name="calls"/> times a window, allocates
    /// less than one byte a call in its least window: nothing per call, with room for one-off work.
    /// </summary>
    public static void AssertNothingPerCall(int calls, Action call)
    {
        var least = LeastPerWindow(() =>
        {
            for (var i = 0; i < calls; i++)
                call();
        });
        Xunit.Assert.True(least < calls, $"{least} bytes in the least of {Windows} windows of {calls} calls: the call allocates");
    }
}
