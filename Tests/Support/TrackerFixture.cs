using Xunit;

namespace OrleansTracker.Tests.Support;

/// <summary>One real tracker process with a given config, shared by the tests of a class.</summary>
public abstract class TrackerFixture(string configTemplate) : IAsyncLifetime
{
    internal TrackerProcess Tracker { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Tracker = await TrackerProcess.StartAsync(configTemplate);

    public async Task DisposeAsync()
    {
        await Tracker.DisposeAsync();
        Tracker.DeleteDirectory();
    }
}
