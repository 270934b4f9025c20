using Microsoft.Extensions.Logging;
using OrleansTracker.Silo.Logging;
using Xunit;

namespace OrleansTracker.Tests.Logging;

/// <summary>
/// The start-up filter drops exactly Orleans' two ServerGC notes and the watchdog's first
/// "participant check" warning that reports more time than the process has lived; nothing else.
/// The values mirror what Orleans' LoggerMessage methods pass (their templates, named values).
/// </summary>
public sealed class StartupNoiseTests
{
    private static readonly TimeSpan ProcessAge = TimeSpan.FromSeconds(3);

    private const string ParticipantTemplate = "Participant check thread has not completed for {TimeSinceLastTick}, potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.";

    [Fact]
    public void the_two_server_gc_notes_are_dropped()
    {
        var notServerGc = Values(("{OriginalFormat}", "Note: Silo not running with ServerGC turned on - recommend checking app config : <configuration>-<runtime>-<gcServer enabled=\"true\">"));
        var multiCore = Values(("{OriginalFormat}", "Note: ServerGC only kicks in on multi-core systems (settings enabling ServerGC have no effect on single-core machines)."));
        Assert.True(StartupNoise.IsNoise("Orleans.Runtime.Silo", new EventId(StartupNoise.SiloGcWarning), notServerGc, ProcessAge));
        Assert.True(StartupNoise.IsNoise("Orleans.Runtime.Silo", new EventId(StartupNoise.SiloGcWarning), multiCore, ProcessAge));
    }

    [Fact]
    public void a_participant_check_stall_longer_than_the_process_has_lived_is_dropped()
    {
        var uptime = Values(("TimeSinceLastTick", TimeSpan.FromHours(12)), ("{OriginalFormat}", ParticipantTemplate));
        Assert.True(StartupNoise.IsNoise("Orleans.Runtime.Watchdog", new EventId(StartupNoise.WatchdogStalled), uptime, ProcessAge));
    }

    [Fact]
    public void a_real_participant_check_stall_is_kept()
    {
        var stall = Values(("TimeSinceLastTick", TimeSpan.FromSeconds(2)), ("{OriginalFormat}", ParticipantTemplate));
        Assert.False(StartupNoise.IsNoise("Orleans.Runtime.Watchdog", new EventId(StartupNoise.WatchdogStalled), stall, ProcessAge));
    }

    [Fact]
    public void the_platform_stall_warning_is_kept_whatever_its_duration()
    {
        // Same event id as the participant check, other template: a runtime stall is always real.
        var platform = Values(("TimeSinceLastTick", TimeSpan.FromHours(12)),
            ("{OriginalFormat}", ".NET Runtime Platform stalled for {TimeSinceLastTick}. Total GC Pause duration during that period: {PauseDurationSinceLastTick}."));
        Assert.False(StartupNoise.IsNoise("Orleans.Runtime.Watchdog", new EventId(StartupNoise.WatchdogStalled), platform, ProcessAge));
    }

    [Theory]
    [InlineData("Orleans.Runtime.Silo", 100406)]
    [InlineData("Orleans.Runtime.Silo", 0)]
    [InlineData("Orleans.Runtime.Watchdog", 100405)]
    [InlineData("Orleans.Runtime.MembershipService.MembershipTableManager", 100405)]
    [InlineData("OrleansTracker.Silo.Hosting.ListenerSummary", 100405)]
    [InlineData("OrleansTracker.Silo.Hosting.ListenerSummary", 100150)]
    public void other_categories_and_events_are_kept(string category, int eventId)
    {
        var anything = Values(("TimeSinceLastTick", TimeSpan.FromHours(12)), ("{OriginalFormat}", ParticipantTemplate));
        Assert.False(StartupNoise.IsNoise(category, new EventId(eventId), anything, ProcessAge));
    }

    [Fact]
    public void only_the_two_orleans_categories_are_checked_at_all()
    {
        Assert.True(StartupNoise.MayCome("Orleans.Runtime.Silo"));
        Assert.True(StartupNoise.MayCome("Orleans.Runtime.Watchdog"));
        Assert.False(StartupNoise.MayCome("Orleans.Runtime.SiloControl"));
        Assert.False(StartupNoise.MayCome("OrleansTracker.Frontends.Udp.UdpTrackerListener"));
    }

    private static List<KeyValuePair<string, object?>> Values(params (string Key, object Value)[] values) =>
        values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)).ToList();
}
