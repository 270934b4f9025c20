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
        var (met, value) = await Poll(probe, done, limit);
        return met ? value : throw new XunitException($"Timed out after {limit.TotalSeconds:0} s waiting for {what}; last value: {value}");
    }

    /// <summary>Probes until <paramref name="condition"/> holds; fails after the timeout.</summary>
    public static Task True(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Until(condition, done => done, what, timeout);

    /// <summary>Probes until <paramref name="condition"/> holds or the time is up; false then (for callers that try something else).</summary>
    public static async Task<bool> Holds(Func<Task<bool>> condition, TimeSpan timeout) =>
        (await Poll(condition, done => done, timeout)).Met;

    private static async Task<(bool Met, T Last)> Poll<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan limit)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
                return (true, value);
            if (elapsed.Elapsed > limit)
                return (false, value);
            await Task.Delay(Pause);
        }
    }

    public static Task<T> Equal<T>(T expected, Func<Task<T>> probe, string what, TimeSpan? timeout = null) =>
        Until(probe, v => EqualityComparer<T>.Default.Equals(v, expected), $"{what} == {expected}", timeout);
}
