using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Typed, key-naming reads from one TOML table. Every key asked for is remembered, so
/// <see cref="RejectUnknownKeys"/> can report the keys nobody asked for (typos) with a suggestion.
/// Environment overrides (<see cref="EnvironmentOverrides"/>) win over the table's values; errors about
/// them name the variable instead of the file.
/// </summary>
internal sealed class TomlSection
{
    private readonly TomlTable _table;
    private readonly TomlMetadataStore _metadata;
    private readonly EnvironmentOverrides? _overrides;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public TomlSection(TomlTable table, string path, string sourceName, TomlMetadataStore metadata,
        EnvironmentOverrides? overrides = null)
    {
        _table = table;
        _metadata = metadata;
        _overrides = overrides;
        Path = path;
        SourceName = sourceName;
    }

    /// <summary>"" for the root, else e.g. <c>http_api</c> or <c>udp_trackers[0]</c>.</summary>
    public string Path { get; }

    public string SourceName { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public int? LineOf(string key) =>
        Override(key) is null
        && _metadata.TryGetProperties(_table, out var properties)
        && properties is not null
        && properties.TryGetProperty(key, out var property)
        && property is not null
            ? property.Span.Start.Line + 1
            : null;

    public ConfigException Error(string key, string problem) =>
        (Override(key)?.Variable ?? Child(key)?.AnyVariable) is { } variable
            ? new($"environment variable {variable}", KeyPath(key), null, problem)
            : new(SourceName, KeyPath(key), LineOf(key), problem);

    /// <summary>An error about <paramref name="key"/>, placed at <paramref name="lineKey"/> when <paramref name="key"/>
    /// is absent (e.g. a required path missing: point at the switch that requires it).</summary>
    public ConfigException Error(string key, string problem, string lineKey)
    {
        if (Override(key) is not null)
            return Error(key, problem);
        return Override(lineKey) is { } env
            ? new($"environment variable {env.Variable}", KeyPath(key), null, problem)
            : new(SourceName, KeyPath(key), LineOf(key) ?? LineOf(lineKey), problem);
    }

    /// <summary>Whether the file or a variable sets <paramref name="key"/>, rather than leaving it at its default.</summary>
    public bool IsSet(string key) => Override(key) is not null || _table.ContainsKey(key);

    public bool GetBool(string key, bool fallback)
    {
        if (!TryGet(key, out var value))
            return fallback;
        if (value is EnvironmentValue env)
        {
            return bool.TryParse(env.Text, out var parsed)
                ? parsed
                : throw WrongType(key, "a boolean (true or false)", value);
        }
        return value as bool? ?? throw WrongType(key, "a boolean (true or false)", value);
    }

    public int GetInt(string key, int fallback, int min, int max)
    {
        if (!TryGet(key, out var value))
            return fallback;
        if (value is EnvironmentValue env)
        {
            value = long.TryParse(env.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw WrongType(key, "an integer", value);
        }
        if (value is not long number)
            throw WrongType(key, "an integer", value);
        if (number < min || number > max)
        {
            throw Error(key, string.Create(CultureInfo.InvariantCulture,
                $"{number} is out of range; allowed: {min} to {max}"));
        }
        return (int)number;
    }

    /// <summary>A duration written as whole seconds, from <paramref name="min"/> to <paramref name="max"/> seconds.</summary>
    public TimeSpan GetSeconds(string key, TimeSpan fallback, int min, int max) =>
        TimeSpan.FromSeconds(GetInt(key, (int)fallback.TotalSeconds, min, max));

    /// <summary>An array of strings; a variable gives it as comma-separated text, with or without the
    /// TOML brackets and quotes (<c>a.example,b.example</c> or <c>["a.example", "b.example"]</c>).</summary>
    public ImmutableArray<string> GetStringList(string key)
    {
        if (!TryGet(key, out var value))
            return [];
        if (value is EnvironmentValue env)
        {
            var text = env.Text.Trim();
            if (text.StartsWith('[') && text.EndsWith(']'))
                text = text[1..^1];
            return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('"'))];
        }
        if (value is not TomlArray array)
            throw WrongType(key, "an array of strings", value);
        return [.. array.Select((item, i) => item as string ?? throw Error(key, $"item {i} is {Describe(item)}, expected a string"))];
    }

    /// <summary>Absent or <c>""</c> (Torrust's way of writing "unset") gives null.</summary>
    public string? GetOptionalString(string key)
    {
        var text = GetString(key, "");
        return text.Length == 0 ? null : text;
    }

    public string GetString(string key, string fallback)
    {
        if (!TryGet(key, out var value))
            return fallback;
        return value switch
        {
            EnvironmentValue env => env.Text,
            string text => text,
            _ => throw WrongType(key, "a string", value),
        };
    }

    /// <summary>One of the names of <paramref name="choices"/>, in any case; the value it stands for.</summary>
    public object GetChoice(string key, object fallback, IReadOnlyList<(string Name, object Value)> choices)
    {
        var allowed = ConfigValues.Allowed(choices);
        if (!TryGet(key, out var value))
            return fallback;
        if (value is EnvironmentValue env)
            value = env.Text;
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
        if (value is EnvironmentValue env)
            value = env.Text;
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

    /// <summary>The sub-table; when it is absent, null, or with <paramref name="orEmpty"/> an empty one (whose
    /// errors name the key path without a line).</summary>
    public TomlSection? GetSection(string key, bool orEmpty = false)
    {
        var children = Child(key);
        if (!TryGet(key, out var value))
        {
            // Only variables below this key: the table is absent from the file but not from the config.
            return children is null && !orEmpty ? null : Sub(new TomlTable(), KeyPath(key), children);
        }
        return value is TomlTable table
            ? Sub(table, KeyPath(key), children)
            : throw WrongType(key, $"a table ([{KeyPath(key)}])", value);
    }

    /// <summary>The blocks of an array of tables (<c>[[key]]</c> or <c>key = [{…}]</c>), or null when absent.
    /// Variables may change a block (index below the file's count) or add the next one.</summary>
    public IReadOnlyList<TomlSection>? GetSectionArray(string key)
    {
        var children = Child(key);
        IEnumerable<object?> items;
        if (TryGet(key, out var value))
        {
            items = value switch
            {
                TomlTableArray tables => tables,
                TomlArray array => array,
                _ => throw WrongType(key, $"an array of tables ([[{KeyPath(key)}]])", value),
            };
        }
        else if (children is not null)
        {
            items = [];
        }
        else
        {
            return null;
        }
        var sections = items.Select((item, i) => item is TomlTable table
                ? Sub(table, $"{KeyPath(key)}[{i}]", children?.Children.GetValueOrDefault(i.ToString(CultureInfo.InvariantCulture)))
                : throw Error(key, $"item {i} is {Describe(item)}, expected a table"))
            .ToList();
        // Numeric order (2 before 10), so blocks can be added one after another.
        foreach (var (index, blockOverrides) in (children?.Children ?? []).OrderBy(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i > sections.Count)
            {
                throw new ConfigException($"environment variable {blockOverrides.AnyVariable}", KeyPath(key), null,
                    $"'{index}' is not a block number; blocks are numbered from 0 and the file has {sections.Count}, so use 0 to {sections.Count} (the last adds a block)");
            }
            if (i == sections.Count)
                sections.Add(Sub(new TomlTable(), $"{KeyPath(key)}[{i}]", blockOverrides));
        }
        return sections;
    }

    /// <summary>All entries, for free-form tables such as access tokens; every key counts as known.
    /// Values set by variables come as their text.</summary>
    public IEnumerable<(string Key, object? Value)> Entries()
    {
        foreach (var (key, value) in _table)
        {
            _known.Add(key);
            if (Override(key) is null)
                yield return (key, value);
        }
        foreach (var (key, child) in _overrides?.Children ?? [])
        {
            _known.Add(key);
            yield return (key, child.Variable is null ? new TomlTable() : child.Text);
        }
    }

    public void RejectUnknownKeys()
    {
        var fromFile = _table.Select(e => (e.Key, Variable: (string?)null));
        var fromEnvironment = (_overrides?.Children ?? []).Select(e => (e.Key, Variable: (string?)e.Value.AnyVariable));
        foreach (var (key, variable) in fromFile.Concat(fromEnvironment))
        {
            if (_known.Contains(key))
                continue;
            var suggestion = _known.MinBy(k => Distance(k, key));
            var hint = suggestion is not null && Distance(suggestion, key) <= 2
                ? $"; did you mean '{suggestion}'?"
                : $"; known keys: {string.Join(", ", _known.Order(StringComparer.Ordinal))}";
            var problem = $"unknown key{(Path.Length == 0 ? "" : $" in [{Path}]")}{hint}";
            throw variable is null ? Error(key, problem) : new ConfigException($"environment variable {variable}", KeyPath(key), null, problem);
        }
    }

    public static string Describe(object? value) => value switch
    {
        null => "nothing",
        EnvironmentValue env => $"'{(env.Text.Length > 40 ? env.Text[..40] + "…" : env.Text)}'",
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
        if (Override(key) is { } env)
        {
            value = env;
            return true;
        }
        return _table.TryGetValue(key, out value);
    }

    /// <summary>The variable setting exactly <paramref name="key"/>, if any.</summary>
    private EnvironmentValue? Override(string key) =>
        _overrides is not null && _overrides.Children.TryGetValue(key, out var child) && child.Variable is not null
            ? new EnvironmentValue(child.Variable, child.Text ?? "")
            : null;

    /// <summary>The variables below <paramref name="key"/> (not one setting it).</summary>
    private EnvironmentOverrides? Child(string key) =>
        _overrides is not null && _overrides.Children.TryGetValue(key, out var child) && child.Children.Count > 0 ? child : null;

    private TomlSection Sub(TomlTable table, string path, EnvironmentOverrides? overrides) =>
        new(table, path, SourceName, _metadata, overrides);

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
