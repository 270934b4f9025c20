using System.Diagnostics;
using Xunit.Sdk;

namespace OrleansTracker.Tests.Support;

/// <summary>Bounded polling for asynchronous effects (one-way calls, reminder ticks, deactivation).</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <summary>Probes until <paramref name="done"/> holds and returns the last value; fails after the timeout.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (elapsed.Elapsed > limit)
                throw new XunitException($"Timed out after {limit.TotalSeconds:0} s waiting for {what}; last value: {value}");
            await Task.Delay(Pause);
        }
    }

    /// <summary>Probes until <paramref name="condition"/> holds; fails after the timeout.</summary>
    public static Task True(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Until(condition, done => done, what, timeout);

    /// <summary>Probes until <paramref name="condition"/> holds or the time is up; false then (for callers that try something else).</summary>
    public static async Task<bool> Holds(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > timeout)
                return false;
            await Task.Delay(Pause);
        }
        return true;
    }

    public static Task<T> Equal<T>(T expected, Func<Task<T>> probe, string what, TimeSpan? timeout = null) =>
        Until(probe, v => EqualityComparer<T>.Default.Equals(v, expected), $"{what} == {expected}", timeout);
}
