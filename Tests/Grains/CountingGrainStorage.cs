using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansTracker.Grains;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// The silo's real "torrents" storage with a count of its reads in front, so a test can see which
/// activations read the database. Everything else passes through.
/// </summary>
internal sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Interlocked.Increment(ref _reads);
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>Puts a counter in front of the "torrents" storage already registered (and registers the counter).</summary>
    public static void Wrap(ISiloBuilder silo)
    {
        var original = silo.Services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, StorageNames.Torrents));
        var factory = original.KeyedImplementationFactory!;
        silo.Services.Remove(original);
        silo.Services.AddSingleton(sp => new CountingGrainStorage((IGrainStorage)factory(sp, StorageNames.Torrents)));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Torrents, (sp, _) => sp.GetRequiredService<CountingGrainStorage>());
    }
}
