namespace OrleansTracker.Grains.Cluster;

/// <summary>Where cluster-wide secrets live: the shared database, or memory when persistence is off.</summary>
public interface IClusterSecretStore
{
    /// <summary>
    /// The secret named <paramref name="name"/>; the first caller anywhere in the cluster creates it
    /// with <paramref name="length"/> random bytes, every later caller reads that same value.
    /// </summary>
    Task<byte[]> GetOrCreateAsync(string name, int length, CancellationToken cancellationToken);
}
