using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Silo.Logging;

/// <summary>
/// Three warnings Orleans prints at every start that are not the operator's to act on, and only
/// those. A new user reads warnings as faults, so a first start should show our lines alone.
/// <list type="bullet">
/// <item>The two "ServerGC" notes (<c>Orleans.Runtime.Silo</c>, event <see cref="SiloGcWarning"/>): the
/// tracker runs the workstation GC on purpose (less memory, measured in docs/benchmarks.md).</item>
/// <item>The watchdog's "Participant check thread has not completed for …" when the duration is
/// longer than the process has existed: its first check can run before the check it measures was
/// ever stamped, and then reports the machine's uptime. A real stall (shorter than the process's
/// age) is still logged.</item>
/// </list>
/// </summary>
internal static class StartupNoise
{
    /// <summary>Orleans' <c>ErrorCode.SiloGcWarning</c>.</summary>
    public const int SiloGcWarning = 100405;

    /// <summary>Orleans' <c>ErrorCode.SiloHeartbeatTimerStalled</c>, shared by the watchdog's stall warnings.</summary>
    public const int WatchdogStalled = 100150;

    private const string SiloCategory = "Orleans.Runtime.Silo";
    private const string WatchdogCategory = "Orleans.Runtime.Watchdog";
    private const string StallDuration = "TimeSinceLastTick";

    private static readonly DateTime ProcessStarted = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>True for the categories that can carry one of the three; every other logger skips the check.</summary>
    public static bool MayCome(string category) => category is SiloCategory or WatchdogCategory;

    public static bool IsNoise<TState>(string category, EventId eventId, TState state) =>
        IsNoise(category, eventId, state as IReadOnlyList<KeyValuePair<string, object?>>, DateTime.UtcNow - ProcessStarted);

    /// <summary>The rule, with the process's age given (tests).</summary>
    public static bool IsNoise(string category, EventId eventId, IReadOnlyList<KeyValuePair<string, object?>>? values, TimeSpan processAge)
    {
        if (category == SiloCategory)
            return eventId.Id == SiloGcWarning;
        if (category != WatchdogCategory || eventId.Id != WatchdogStalled || values is null)
            return false;
        var template = values.FirstOrDefault(v => v.Key == "{OriginalFormat}").Value as string;
        if (template is null || !template.StartsWith("Participant check thread", StringComparison.Ordinal))
            return false;
        return values.FirstOrDefault(v => v.Key == StallDuration).Value is TimeSpan stalled && stalled > processAge;
    }
}
