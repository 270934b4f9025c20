using System.Text.Json.Serialization;

namespace OrleansTracker.Frontends.Health;

// GET /health_check's body, in Torrust's health-check API shape (status "Ok", "Error" or "None";
// each detail's result is {"Ok": text} or {"Err": text}).

public sealed record HealthReportJson(string Status, string Message, IReadOnlyList<HealthDetailJson> Details);

public sealed record HealthDetailJson(string Binding, string ServiceType, string ServiceBinding, string Info, HealthResultJson Result);

public sealed record HealthResultJson(
    [property: JsonPropertyName("Ok"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Ok,
    [property: JsonPropertyName("Err"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Err);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthReportJson))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
