using System.Text.RegularExpressions;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Collects every key the reader asks for, with the type and default its getter knows, while a
/// configuration is read. Reading <see cref="DefaultConfig.Text"/> with one gives the full list of
/// accepted keys: the source of docs/configuration.md, so a new key cannot go undocumented.
/// </summary>
internal sealed partial class ConfigSchemaRecorder
{
    private readonly Dictionary<string, ConfigOption> _options = new(StringComparer.Ordinal);

    /// <summary>Every key seen, tables and arrays of tables included, by schema path.</summary>
    public IReadOnlyDictionary<string, ConfigOption> Options => _options;

    public void Add(string schemaPath, string type, string defaultText) =>
        _options.TryAdd(schemaPath, new ConfigOption(schemaPath, type, defaultText));

    /// <summary><c>udp_trackers[0].bind_address</c> → <c>udp_trackers[].bind_address</c>: one entry for every block.</summary>
    public static string SchemaPath(string keyPath) => BlockIndex().Replace(keyPath, "[]");

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex BlockIndex();
}

/// <summary>One accepted key: <paramref name="Type"/> is "table" or "array of tables" for those.</summary>
internal sealed record ConfigOption(string Path, string Type, string Default);
