using System.Text.Json.Serialization;

namespace OrleansTracker.Frontends.Admin;

// The admin API's JSON, in Torrust v1's shapes (snake_case names). These DTOs are the wire format
// only; the grains' messages never go on the wire as they are.

public sealed record StatusJson(string Status);

public sealed record ErrorJson(string Error);

public sealed record AuthKeyJson(string Key, long? ValidUntil, string? ExpiryTime);

public sealed record AddKeyJson(string? Key, long? SecondsValid);

/// <summary>Extension (not in Torrust): the whole whitelist.</summary>
public sealed record WhitelistJson(IReadOnlyList<string> InfoHashes);

/// <summary>Extension (not in Torrust): every key.</summary>
public sealed record KeysJson(IReadOnlyList<AuthKeyJson> Keys);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(ErrorJson))]
[JsonSerializable(typeof(AuthKeyJson))]
[JsonSerializable(typeof(AddKeyJson))]
[JsonSerializable(typeof(WhitelistJson))]
[JsonSerializable(typeof(KeysJson))]
[JsonSerializable(typeof(StatsJson))]
[JsonSerializable(typeof(ThisSiloJson))]
[JsonSerializable(typeof(TorrentJson))]
[JsonSerializable(typeof(TorrentListItemJson[]))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
