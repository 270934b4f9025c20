using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Reads <c>config.toml</c> into a <see cref="TrackerConfig"/>. Missing keys take their defaults; anything
/// else that is not exactly right (syntax, unknown keys, types, ranges, addresses, files) is a
/// <see cref="ConfigException"/> naming the key, so a typo never silently falls back to a default.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Reads and validates the file at <paramref name="path"/>, with the <c>ORLEANSTRACKER__*</c>
    /// variables of <paramref name="environment"/> (see <see cref="EnvironmentOverrides"/>) set over it.</summary>
    public static TrackerConfig LoadFile(string path, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, null, null, $"cannot read the file: {e.Message}", e);
        }
        return LoadFromText(text, path, environment: environment);
    }

    /// <summary>Parses and validates <paramref name="toml"/>; <paramref name="sourceName"/> prefixes every
    /// error. <paramref name="fileExists"/> checks certificate paths (default <see cref="File.Exists"/>).
    /// <paramref name="environment"/>'s <c>ORLEANSTRACKER__*</c> variables win over the text.</summary>
    public static TrackerConfig LoadFromText(string toml, string sourceName, Func<string, bool>? fileExists = null,
        IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(toml);
        ArgumentNullException.ThrowIfNull(sourceName);
        var metadata = new TomlMetadataStore();
        var overrides = environment is null ? null : EnvironmentOverrides.From(environment);
        var root = new TomlSection(Parse(toml, sourceName, metadata), "", sourceName, metadata, overrides);
        return new ConfigReader(root, fileExists ?? File.Exists).Read();
    }

    /// <summary>Every key the reader accepts, tables and arrays of tables included, with its type and default.</summary>
    internal static IReadOnlyDictionary<string, ConfigOption> Schema() => ConfigSchema.Options();

    private static TomlTable Parse(string toml, string sourceName, TomlMetadataStore metadata)
    {
        // The syntax tree's semantic validation catches what the model builder lets through (a key or table
        // defined twice), and reports the first problem with its position.
        var document = SyntaxParser.Parse(toml, sourceName, validate: true);
        var error = document.Diagnostics.FirstOrDefault(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error);
        if (error is not null)
        {
            throw new ConfigException(sourceName, null, error.Span.Start.Line + 1, error.Span.Start.Column + 1,
                $"TOML syntax error: {error.Message}");
        }
        RefuseSplitTableArrays(document, sourceName);
        try
        {
            var options = new TomlSerializerOptions
            {
                SourceName = sourceName,
                MetadataStore = metadata,
                DuplicateKeyHandling = TomlDuplicateKeyHandling.Error,
            };
            return TomlSerializer.Deserialize<TomlTable>(toml, options) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new ConfigException(sourceName, null, e.Line, e.Column, $"TOML syntax error: {e.Message}", e);
        }
    }

    /// <summary>
    /// TOML lets the blocks of one array of tables be split by other tables ([[http_trackers]],
    /// [http_api], [[http_trackers]]), but Tomlyn's model then keeps only the last run of blocks: a
    /// listener would vanish without a word. So a split array is refused, naming the block to move.
    /// </summary>
    private static void RefuseSplitTableArrays(Tomlyn.Syntax.DocumentSyntax document, string sourceName)
    {
        var closed = new HashSet<string>(StringComparer.Ordinal);
        string? open = null;
        foreach (var table in document.Tables)
        {
            var name = table.Name?.ToString().Trim() ?? "";
            if (table is Tomlyn.Syntax.TableArraySyntax)
            {
                if (closed.Contains(name))
                {
                    throw new ConfigException(sourceName, name, table.Span.Start.Line + 1, table.Span.Start.Column + 1,
                        $"this [[{name}]] block is separated from the earlier [[{name}]] blocks by another table; "
                        + $"write all [[{name}]] blocks one after another");
                }
                if (open is not null && open != name)
                    closed.Add(open);
                open = name;
            }
            else if (open is not null && !name.StartsWith(open + ".", StringComparison.Ordinal))
            {
                closed.Add(open);
                open = null;
            }
        }
    }
}
