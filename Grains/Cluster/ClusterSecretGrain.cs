using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Cluster;

/// <summary>Hands out the cluster's shared secrets; the store makes them the same on every activation.</summary>
internal sealed class ClusterSecretGrain(IClusterSecretStore store) : Grain, IClusterSecretGrain
{
    private byte[]? _connectionIdKey;

    public async Task<byte[]> ConnectionIdKey() =>
        _connectionIdKey ??= await store.GetOrCreateAsync(
            ClusterSecrets.ConnectionIdKeyName, ClusterSecrets.ConnectionIdKeyLength, CancellationToken.None);
}
