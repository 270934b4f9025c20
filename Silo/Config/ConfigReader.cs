using System.Collections;
using System.Collections.Immutable;
using System.Net;
using System.Reflection;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Reads the TOML tables into a <see cref="TrackerConfig"/> by the declared keys (<see cref="ConfigSchema"/>):
/// each key through the typed getter of its kind and keys nobody declared refused, section by section; then,
/// once everything is read, the <see cref="IConfigRules"/>: the root's (between sections: listeners, cluster
/// and storage) first, then each section's in the order of the file.
/// </summary>
internal sealed class ConfigReader(TomlSection root, Func<string, bool> fileExists)
{
    private readonly ConfigChecks _checks = new(root, fileExists);

    public TrackerConfig Read()
    {
        var config = (TrackerConfig)ReadTable(ConfigSchema.Root, root);
        ((IConfigRules)config).Check(_checks);
        foreach (var section in _checks.Sections.Where(s => !ReferenceEquals(s, config) && _checks.WasRead(s)).OfType<IConfigRules>().ToList())
            section.Check(_checks);
        return config;
    }

    private object ReadTable(TableSpec table, TomlSection section)
    {
        var block = table.CreateDefault();
        foreach (var key in table.Keys)
        {
            switch (key.Kind)
            {
                case KeyKind.Table:
                    key.SetIn(block, ReadTable(key.Table!, section.GetSection(key.Name, orEmpty: true)!));
                    break;
                case KeyKind.Blocks:
                    ReadBlocks(key, block, section);
                    break;
                case KeyKind.Entries:
                    if (section.GetSection(key.Name) is { } entries)
                        key.SetIn(block, ReadEntries(entries));
                    break;
                default:
                    var value = ReadValue(key, section, key.ValueIn(block));
                    CheckValue(key, section, value);
                    key.SetIn(block, Normalised(key, value));
                    break;
            }
        }
        section.RejectUnknownKeys();
        _checks.Add(block, section);
        return block;
    }

    /// <summary>The file's blocks (and those the variables add); without any, the default blocks stay.</summary>
    private void ReadBlocks(KeySpec key, object owner, TomlSection section)
    {
        if (section.GetSectionArray(key.Name) is not { } sections)
        {
            foreach (var block in (IEnumerable)key.ValueIn(owner)!)
                _checks.AddDefaultBlock(block, section.KeyPath(key.Name));
            return;
        }
        var blocks = sections.Select(s => ReadTable(key.Table!, s)).ToList();
        var element = key.Property.PropertyType.GetGenericArguments()[0];
        var toArray = typeof(ConfigReader).GetMethod(nameof(ToImmutableArray), BindingFlags.NonPublic | BindingFlags.Static)!;
        key.SetIn(owner, toArray.MakeGenericMethod(element).Invoke(null, [blocks]));
    }

    private static ImmutableArray<T> ToImmutableArray<T>(List<object> blocks) => blocks.Cast<T>().ToImmutableArray();

    /// <summary>Free-form name = "secret" entries (access tokens); variables add or replace them by name.</summary>
    private ImmutableSortedDictionary<string, string> ReadEntries(TomlSection section)
    {
        var entries = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in section.Entries())
        {
            if (value is not string secret)
                throw section.Error(name, $"expected a token string but found {TomlSection.Describe(value)}");
            if (string.IsNullOrWhiteSpace(secret))
                throw section.Error(name, "the token must not be empty");
            entries[name] = secret;
        }
        var read = entries.ToImmutable();
        _checks.Add(read, section);
        return read;
    }

    private static object? ReadValue(KeySpec key, TomlSection section, object? fallback) => key.Kind switch
    {
        KeyKind.Boolean => section.GetBool(key.Name, (bool)fallback!),
        KeyKind.Integer => section.GetInt(key.Name, (int)fallback!, key.Attribute.Min, key.Attribute.Max),
        KeyKind.Seconds => section.GetSeconds(key.Name, (TimeSpan)fallback!, key.Attribute.Min, key.Attribute.Max),
        KeyKind.Text => key.Optional ? section.GetOptionalString(key.Name) : section.GetString(key.Name, (string)fallback!),
        KeyKind.TextList => section.GetStringList(key.Name),
        KeyKind.Choice => section.GetChoice(key.Name, fallback!, ConfigValues.ChoicesFor(key.Property.PropertyType)),
        KeyKind.EndPoint => section.GetEndPoint(key.Name, (IPEndPoint)fallback!),
        KeyKind.IpAddress when key.Optional => section.GetOptionalIp(key.Name),
        _ => throw new InvalidOperationException($"{key.Path}: a {(key.Optional ? "" : "required ")}{key.Kind} key cannot be read"),
    };

    /// <summary>Host names compare case-insensitively; they are kept in lower case.</summary>
    private static object? Normalised(KeySpec key, object? value) =>
        key.Attribute.Check == ValueCheck.HostNames && value is ImmutableArray<string> names
            ? names.Select(n => n.ToLowerInvariant()).ToImmutableArray()
            : value;

    private static void CheckValue(KeySpec key, TomlSection section, object? value)
    {
        switch (key.Attribute.Check)
        {
            case ValueCheck.NonEmpty when string.IsNullOrWhiteSpace(value as string):
                throw section.Error(key.Name, "must not be empty");
            case ValueCheck.HostAndPort when value is string text && !ConfigValues.IsHostAndPort(text):
                throw section.Error(key.Name, $"'{text}' is not a host:port such as 10.0.0.5:11111");
            case ValueCheck.HostNames when value is ImmutableArray<string> names
                && names.FirstOrDefault(n => Uri.CheckHostName(n) == UriHostNameType.Unknown) is { } bad:
                throw section.Error(key.Name, $"'{bad}' is not a host name or IP address (write it without scheme, port or path, e.g. \"tracker.example.org\")");
        }
    }
}
