using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// The whole whitelist at one version. Frontends keep a copy and re-fetch it when the version
/// they poll changes; versions are only compared for equality.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WhitelistSnapshot([property: Id(0)] long Version, [property: Id(1)] InfoHash[] Hashes);

/// <summary>Every key at one version (see <see cref="WhitelistSnapshot"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record KeySnapshot([property: Id(0)] long Version, [property: Id(1)] AuthKeyEntry[] Keys);
