using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Reflection;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Every key of config.toml, found once from the <see cref="ConfigKeyAttribute"/>s of
/// <see cref="TrackerConfig"/> and the section types it holds. A property's type decides its kind:
/// bool, int, TimeSpan (whole seconds), string, an enum listed in <see cref="ConfigValues"/> (a
/// choice), IPEndPoint, IPAddress; a class with keys of its own is a table, an
/// <see cref="ImmutableArray{T}"/> of one an array of tables (<c>[[name]]</c>), and
/// <c>ImmutableSortedDictionary&lt;string, string&gt;</c> a table of free-form secret entries.
/// </summary>
internal static class ConfigSchema
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>The root table: the top-level keys and every section below them.</summary>
    public static TableSpec Root { get; } = Describe(typeof(TrackerConfig), "");

    /// <summary>Every key by path (<c>udp_trackers[].bind_address</c>, <c>http_api.access_tokens.*</c>), tables
    /// and arrays of tables included, with its type and default as docs/configuration.md shows them.</summary>
    public static IReadOnlyDictionary<string, ConfigOption> Options()
    {
        var options = new Dictionary<string, ConfigOption>(StringComparer.Ordinal);
        Add(Root, new TrackerConfig());
        return options;

        void Add(TableSpec table, object defaults)
        {
            foreach (var key in table.Keys)
            {
                options.Add(key.Path, new ConfigOption(key.Path, key.TypeText, key.IsContainer ? "" : TomlLiterals.Of(key.ValueIn(defaults)) ?? "unset"));
                if (key.Kind == KeyKind.Table)
                    Add(key.Table!, key.ValueIn(defaults)!);
                else if (key.Kind == KeyKind.Blocks)
                    Add(key.Table!, key.Table!.CreateDefault());
                else if (key.Kind == KeyKind.Entries)
                    options.Add(key.Path + ".*", new ConfigOption(key.Path + ".*", "string", ""));
            }
        }
    }

    private static TableSpec Describe(Type type, string keyPrefix)
    {
        var keys = new List<KeySpec>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<ConfigKeyAttribute>() is not { } key)
                continue;
            var path = keyPrefix + key.Name;
            var kind = KindOf(property.PropertyType);
            var table = kind switch
            {
                KeyKind.Table => Describe(property.PropertyType, path + "."),
                KeyKind.Blocks => Describe(property.PropertyType.GetGenericArguments()[0], path + "[]."),
                _ => null,
            };
            var optional = Nullability.Create(property).ReadState == NullabilityState.Nullable;
            keys.Add(new KeySpec(key, property.GetCustomAttribute<ConfigBannerAttribute>(), property, path, kind, optional, table));
        }
        // Source order; the keys of a base class (shared by several block types) before the class's own.
        keys.Sort((a, b) => (Depth(a.Property.DeclaringType!), a.Attribute.Order).CompareTo((Depth(b.Property.DeclaringType!), b.Attribute.Order)));
        // TOML puts every key after a header into that table: a plain key declared after a table
        // would be written into the table's text, so the declarations must keep them first.
        var firstTable = keys.FindIndex(k => k.IsContainer);
        if (firstTable >= 0 && keys.Skip(firstTable).FirstOrDefault(k => !k.IsContainer) is { } misplaced)
            throw new InvalidOperationException($"{type.Name}: declare '{misplaced.Name}' before the tables and arrays of tables");
        return new TableSpec(type, keys);
    }

    private static int Depth(Type type) => type.BaseType is null ? 0 : 1 + Depth(type.BaseType);

    private static KeyKind KindOf(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(bool))
            return KeyKind.Boolean;
        if (plain == typeof(int))
            return KeyKind.Integer;
        if (plain == typeof(TimeSpan))
            return KeyKind.Seconds;
        if (plain == typeof(string))
            return KeyKind.Text;
        if (plain.IsEnum)
            return KeyKind.Choice;
        if (plain == typeof(IPEndPoint))
            return KeyKind.EndPoint;
        if (plain == typeof(IPAddress))
            return KeyKind.IpAddress;
        if (plain == typeof(ImmutableSortedDictionary<string, string>))
            return KeyKind.Entries;
        if (plain == typeof(ImmutableArray<string>))
            return KeyKind.TextList;
        if (plain.IsGenericType && plain.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
            return KeyKind.Blocks;
        if (plain.IsClass && plain.GetConstructor(Type.EmptyTypes) is not null)
            return KeyKind.Table;
        throw new InvalidOperationException($"config keys cannot be of type {type.Name}");
    }
}

/// <summary>A table's keys in declaration order; <see cref="Type"/> holds them.</summary>
internal sealed record TableSpec(Type Type, IReadOnlyList<KeySpec> Keys)
{
    /// <summary>A block with every key at its default.</summary>
    public object CreateDefault() => Activator.CreateInstance(Type)!;
}

/// <summary>One declared key.</summary>
/// <param name="Path">The key's path in docs and errors, e.g. <c>udp_trackers[].bind_address</c>.</param>
/// <param name="Table">The keys of a table or of each block of an array of tables.</param>
internal sealed record KeySpec(ConfigKeyAttribute Attribute, ConfigBannerAttribute? Banner, PropertyInfo Property,
    string Path, KeyKind Kind, bool Optional, TableSpec? Table)
{
    public string Name => Attribute.Name;

    /// <summary>A table, an array of tables or a table of entries: written under a header of its own.</summary>
    public bool IsContainer => Kind is KeyKind.Table or KeyKind.Blocks or KeyKind.Entries;

    /// <summary>The type as docs/configuration.md shows it.</summary>
    public string TypeText => Kind switch
    {
        KeyKind.Boolean => "boolean",
        KeyKind.Integer => string.Create(CultureInfo.InvariantCulture, $"integer, {Attribute.Min} to {Attribute.Max}"),
        KeyKind.Seconds when Attribute.Max == int.MaxValue => string.Create(CultureInfo.InvariantCulture, $"seconds, at least {Attribute.Min}"),
        KeyKind.Seconds => string.Create(CultureInfo.InvariantCulture, $"seconds, {Attribute.Min} to {Attribute.Max}"),
        KeyKind.Text => "string",
        KeyKind.TextList => "array of strings",
        KeyKind.Choice => "one of " + ConfigValues.Allowed(ConfigValues.ChoicesFor(Property.PropertyType)),
        KeyKind.EndPoint => "address:port",
        KeyKind.IpAddress => "IP address",
        KeyKind.Blocks => "array of tables",
        _ => "table",
    };

    public object? ValueIn(object section) => Property.GetValue(section);

    public void SetIn(object section, object? value) => Property.SetValue(section, value);
}

/// <summary>What a key holds, by the type of its property.</summary>
internal enum KeyKind
{
    Boolean,
    Integer,

    /// <summary>A <see cref="TimeSpan"/> written as whole seconds.</summary>
    Seconds,
    Text,

    /// <summary>An array of strings (<c>["a", "b"]</c>); a variable gives it comma-separated.</summary>
    TextList,

    /// <summary>An enum written as one of the names in <see cref="ConfigValues.ChoicesFor"/>.</summary>
    Choice,
    EndPoint,
    IpAddress,
    Table,
    Blocks,

    /// <summary>A table of name = "secret" entries whose names are free (access tokens).</summary>
    Entries,
}

/// <summary>One accepted key: <paramref name="Type"/> is "table" or "array of tables" for those; <paramref name="Default"/>
/// is its TOML value, "unset" for an optional key, and empty for a table.</summary>
internal sealed record ConfigOption(string Path, string Type, string Default);
