using Orleans.Runtime;
using Orleans.Storage;

namespace OrleansTracker.Silo.Persistence;

/// <summary>
/// Wraps the ADO.NET grain storage of a SQLite database so that its operations pass through the
/// file's <see cref="SqliteGate"/>. It also forwards the silo lifecycle to the wrapped provider,
/// which loads its queries from OrleansQuery when the silo starts.
/// </summary>
internal sealed class SqliteGatedGrainStorage(IGrainStorage inner, SqliteGate gate)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.ReadAsync(() => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.WriteAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    // Clearing a state that was never read makes the provider read first; that read happens
    // under the write slot, which is fine: it is short and never waits for the write lock.
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.WriteAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    public void Participate(ISiloLifecycle lifecycle) =>
        (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
