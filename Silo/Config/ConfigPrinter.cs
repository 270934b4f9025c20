using System.Collections;
using System.Text;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Writes the effective configuration as TOML (for <c>--print-config</c> and the startup log), every declared
/// key in declaration order. Access tokens and any MySQL password are shown as <c>***</c>; unset options appear
/// as comments. The output loads back with <see cref="ConfigLoader"/>.
/// </summary>
public static class ConfigPrinter
{
    /// <summary>What secrets are replaced with.</summary>
    public const string Mask = "***";

    /// <summary>The effective configuration as TOML, secrets masked.</summary>
    public static string Render(TrackerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = new StringBuilder();
        Table(text, ConfigSchema.Root, config, "", config);
        return text.ToString();
    }

    /// <summary>A table's plain keys first (TOML puts every key after a header into that header's table), then
    /// arrays without blocks as <c>[]</c>, then the tables and blocks below it.</summary>
    private static void Table(StringBuilder text, TableSpec table, object values, string path, TrackerConfig config)
    {
        foreach (var key in table.Keys.Where(k => !k.IsContainer))
        {
            var value = key.ValueIn(values);
            if (value is string withPassword && key.Attribute.HasPassword)
                value = DbConnectionStrings.MaskPassword(config.DbDriver, withPassword);
            if (TomlLiterals.Of(value) is { } literal)
                text.Append(key.Name).Append(" = ").Append(literal).Append('\n');
            else
                text.Append("# ").Append(key.Name).Append(" is unset\n");
        }
        foreach (var key in table.Keys.Where(k => k.Kind == KeyKind.Blocks && !((IEnumerable)k.ValueIn(values)!).Cast<object>().Any()))
            text.Append(key.Name).Append(" = []\n");
        foreach (var key in table.Keys.Where(k => k.IsContainer))
        {
            var keyPath = path.Length == 0 ? key.Name : $"{path}.{key.Name}";
            switch (key.Kind)
            {
                case KeyKind.Table:
                    Header(text, $"[{keyPath}]");
                    Table(text, key.Table!, key.ValueIn(values)!, keyPath, config);
                    break;
                case KeyKind.Blocks:
                    foreach (var block in (IEnumerable)key.ValueIn(values)!)
                    {
                        Header(text, $"[[{keyPath}]]");
                        Table(text, key.Table!, block, keyPath, config);
                    }
                    break;
                default:
                    Header(text, $"[{keyPath}]");
                    foreach (var name in ((IEnumerable<KeyValuePair<string, string>>)key.ValueIn(values)!).Select(e => e.Key))
                        text.Append(TomlLiterals.Key(name)).Append(" = ").Append(TomlLiterals.Quote(Mask)).Append('\n');
                    break;
            }
        }
    }

    private static void Header(StringBuilder text, string header)
    {
        if (text.Length > 0)
            text.Append('\n');
        text.Append(header).Append('\n');
    }
}
