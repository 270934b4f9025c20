using System.Globalization;
using System.Net;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Typed, key-naming reads from one TOML table. Every key asked for is remembered, so
/// <see cref="RejectUnknownKeys"/> can report the keys nobody asked for (typos) with a suggestion.
/// </summary>
internal sealed class TomlSection
{
    private readonly TomlTable _table;
    private readonly TomlMetadataStore _metadata;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public TomlSection(TomlTable table, string path, string sourceName, TomlMetadataStore metadata)
    {
        _table = table;
        _metadata = metadata;
        Path = path;
        SourceName = sourceName;
    }

    /// <summary>"" for the root, else e.g. <c>http_api</c> or <c>udp_trackers[0]</c>.</summary>
    public string Path { get; }

    public string SourceName { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public int? LineOf(string key) =>
        _metadata.TryGetProperties(_table, out var properties)
        && properties is not null
        && properties.TryGetProperty(key, out var property)
        && property is not null
            ? property.Span.Start.Line + 1
            : null;

    public ConfigException Error(string key, string problem) => new(SourceName, KeyPath(key), LineOf(key), problem);

    /// <summary>An error about <paramref name="key"/>, placed at <paramref name="lineKey"/> when <paramref name="key"/>
    /// is absent (e.g. a required path missing: point at the switch that requires it).</summary>
    public ConfigException Error(string key, string problem, string lineKey) =>
        new(SourceName, KeyPath(key), LineOf(key) ?? LineOf(lineKey), problem);

    public bool GetBool(string key, bool fallback) =>
        TryGet(key, out var value) ? value as bool? ?? throw WrongType(key, "a boolean (true or false)", value) : fallback;

    public int GetInt(string key, int fallback, int min, int max)
    {
        if (!TryGet(key, out var value))
            return fallback;
        if (value is not long number)
            throw WrongType(key, "an integer", value);
        if (number < min || number > max)
        {
            throw Error(key, string.Create(CultureInfo.InvariantCulture,
                $"{number} is out of range; allowed: {min} to {max}"));
        }
        return (int)number;
    }

    /// <summary>A duration written as whole seconds, at least one second.</summary>
    public TimeSpan GetSeconds(string key, int fallbackSeconds) =>
        TimeSpan.FromSeconds(GetInt(key, fallbackSeconds, 1, int.MaxValue));

    public string GetString(string key, string fallback) =>
        TryGet(key, out var value) ? value as string ?? throw WrongType(key, "a string", value) : fallback;

    /// <summary>Absent or <c>""</c> (Torrust's way of writing "unset") gives null.</summary>
    public string? GetOptionalString(string key)
    {
        var text = GetString(key, "");
        return text.Length == 0 ? null : text;
    }

    public T GetChoice<T>(string key, T fallback, IReadOnlyList<(string Name, T Value)> choices)
        where T : struct, Enum
    {
        if (!TryGet(key, out var value))
            return fallback;
        var allowed = string.Join(", ", choices.Select(c => $"\"{c.Name}\""));
        if (value is not string text)
            throw WrongType(key, $"one of {allowed}", value);
        foreach (var (name, choice) in choices)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                return choice;
        }
        throw Error(key, $"'{text}' is not one of {allowed}");
    }

    public IPEndPoint GetEndPoint(string key, IPEndPoint fallback)
    {
        if (!TryGet(key, out var value))
            return fallback;
        if (value is not string text)
            throw WrongType(key, ConfigValues.EndPointShape, value);
        return ConfigValues.TryParseEndPoint(text, out var endPoint)
            ? endPoint
            : throw Error(key, $"'{text}' is not {ConfigValues.EndPointShape}");
    }

    /// <summary>A specific (not 0.0.0.0 or ::) IP address; absent or "" gives null.</summary>
    public IPAddress? GetOptionalIp(string key)
    {
        var text = GetOptionalString(key);
        if (text is null)
            return null;
        if (!ConfigValues.TryParseIp(text, out var address))
            throw Error(key, $"'{text}' is not an IP address such as 203.0.113.7 or 2001:db8::7");
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            throw Error(key, $"'{text}' is not a usable address; remove the key to leave it unset");
        return address;
    }

    /// <summary>The sub-table, or null when absent.</summary>
    public TomlSection? GetSection(string key)
    {
        if (!TryGet(key, out var value))
            return null;
        return value is TomlTable table
            ? new TomlSection(table, KeyPath(key), SourceName, _metadata)
            : throw WrongType(key, $"a table ([{KeyPath(key)}])", value);
    }

    /// <summary>The blocks of an array of tables (<c>[[key]]</c> or <c>key = [{…}]</c>), or null when absent.</summary>
    public IReadOnlyList<TomlSection>? GetSectionArray(string key)
    {
        if (!TryGet(key, out var value))
            return null;
        IEnumerable<object?> items = value switch
        {
            TomlTableArray tables => tables,
            TomlArray array => array,
            _ => throw WrongType(key, $"an array of tables ([[{KeyPath(key)}]])", value),
        };
        return items.Select((item, i) => item is TomlTable table
                ? new TomlSection(table, $"{KeyPath(key)}[{i}]", SourceName, _metadata)
                : throw Error(key, $"item {i} is {Describe(item)}, expected a table"))
            .ToList();
    }

    /// <summary>All entries, for free-form tables such as access tokens; every key counts as known.</summary>
    public IEnumerable<(string Key, object? Value)> Entries()
    {
        foreach (var (key, value) in _table)
        {
            _known.Add(key);
            yield return (key, value);
        }
    }

    public void RejectUnknownKeys()
    {
        foreach (var (key, _) in _table)
        {
            if (_known.Contains(key))
                continue;
            var suggestion = _known.MinBy(k => Distance(k, key));
            var hint = suggestion is not null && Distance(suggestion, key) <= 2
                ? $"; did you mean '{suggestion}'?"
                : $"; known keys: {string.Join(", ", _known.Order(StringComparer.Ordinal))}";
            throw Error(key, $"unknown key{(Path.Length == 0 ? "" : $" in [{Path}]")}{hint}");
        }
    }

    public static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => $"a string (\"{(s.Length > 40 ? s[..40] + "…" : s)}\")",
        long l => string.Create(CultureInfo.InvariantCulture, $"an integer ({l})"),
        double d => string.Create(CultureInfo.InvariantCulture, $"a float ({d})"),
        bool b => b ? "a boolean (true)" : "a boolean (false)",
        TomlDateTime => "a date-time",
        TomlTable => "a table",
        TomlTableArray => "an array of tables",
        TomlArray => "an array",
        _ => value.GetType().Name,
    };

    private bool TryGet(string key, out object? value)
    {
        _known.Add(key);
        return _table.TryGetValue(key, out value);
    }

    private ConfigException WrongType(string key, string expected, object? value) =>
        Error(key, $"expected {expected} but found {Describe(value)}");

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
