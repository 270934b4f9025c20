using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// The secrets every node of the cluster must share (key 0). With persistence they are created once
/// in the shared database, so they survive the loss of any silo and a restart of the whole cluster.
/// </summary>
public interface IClusterSecretGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The SipHash key of UDP connection ids (BEP 15): a connect answered by one node must validate
    /// on every other node, so all frontends use this key instead of a per-process one.
    /// </summary>
    Task<byte[]> ConnectionIdKey();
}

public static class ClusterSecrets
{
    /// <summary>Row name of the connection-id key in <c>tracker_secrets</c>.</summary>
    public const string ConnectionIdKeyName = "connection_id_key";

    /// <summary>SipHash-2-4 takes a 128-bit key.</summary>
    public const int ConnectionIdKeyLength = 16;
}
