using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace OrleansTracker.Grains.Cluster;

/// <summary>
/// Secrets in this silo's memory (persistence = false). Shared by the cluster only through the one
/// <see cref="ClusterSecretGrain"/> activation: if the silo holding it is lost, the next activation
/// creates new secrets and frontends pick them up at their next refresh.
/// </summary>
public sealed class MemoryClusterSecretStore : IClusterSecretStore
{
    private readonly ConcurrentDictionary<string, byte[]> _secrets = new(StringComparer.Ordinal);

    public Task<byte[]> GetOrCreateAsync(string name, int length, CancellationToken cancellationToken) =>
        Task.FromResult(_secrets.GetOrAdd(name, _ => RandomNumberGenerator.GetBytes(length)));
}
