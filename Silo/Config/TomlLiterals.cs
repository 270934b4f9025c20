using System.Globalization;
using System.Net;
using System.Text;

namespace OrleansTracker.Silo.Config;

/// <summary>How values and key names are written in TOML: by the default config.toml, <c>--print-config</c>
/// and the docs alike, so what one shows the others read back.</summary>
internal static class TomlLiterals
{
    /// <summary>The value as TOML; null for an unset optional value.</summary>
    public static string? Of(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        TimeSpan seconds => ((long)seconds.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        string text => Quote(text),
        System.Collections.Immutable.ImmutableArray<string> texts => "[" + string.Join(", ", texts.Select(Quote)) + "]",
        Enum choice => Quote(ConfigValues.NameOf(choice)),
        IPEndPoint endPoint => Quote(ConfigValues.FormatEndPoint(endPoint)),
        IPAddress address => Quote(address.ToString()),
        _ => throw new ArgumentException($"no TOML form for {value.GetType().Name}", nameof(value)),
    };

    /// <summary>A bare key when TOML allows one, else a quoted one.</summary>
    public static string Key(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? key : Quote(key);

    public static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' or '\u007f' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => quoted.Append(c),
            };
        }
        return quoted.Append('"').ToString();
    }
}
