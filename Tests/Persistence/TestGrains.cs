using Orleans;
using Orleans.Runtime;
using OrleansTracker.Grains;

namespace OrleansTracker.Tests.Persistence;

public interface IPersistentCounterGrain : IGrainWithStringKey
{
    Task<long> Current();

    Task<long> Increment();

    Task Clear();

    Task<string?> ETag();

    Task RegisterReminder(string name);

    Task<bool> HasReminder(string name);
}

public interface IPingGrain : IGrainWithIntegerKey
{
    Task<int> Ping();
}

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public long Value { get; set; }
}

/// <summary>A long counter kept in the tracker's "torrents" storage, plus reminder hooks.</summary>
public sealed class PersistentCounterGrain(
    [PersistentState("state", StorageNames.Torrents)] IPersistentState<CounterState> state)
    : Grain, IPersistentCounterGrain, IRemindable
{
    public Task<long> Current() => Task.FromResult(state.State.Value);

    public async Task<long> Increment()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task Clear() => state.ClearStateAsync();

    public Task<string?> ETag() => Task.FromResult<string?>(state.Etag);

    public Task RegisterReminder(string name) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<bool> HasReminder(string name) => await this.GetReminder(name) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}

/// <summary>No state at all: the "unrelated grain" that must stay responsive.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    public Task<int> Ping() => Task.FromResult(42);
}
