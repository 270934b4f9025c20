using System.Collections;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Config keys set from environment variables, for containers and systemd units where editing
/// <c>config.toml</c> is awkward. <c>ORLEANSTRACKER__</c> followed by the key path with <c>__</c>
/// between levels, upper case: <c>ORLEANSTRACKER__PEER_TIMEOUT</c>,
/// <c>ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN</c>,
/// <c>ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS</c> (block 0 of <c>[[udp_trackers]]</c>). A variable
/// wins over the file. Values are plain text and are converted to the type the key expects, so an
/// error names the variable; an unknown key is an error like a typo in the file.
/// </summary>
internal sealed class EnvironmentOverrides
{
    /// <summary>The prefix every override starts with; <c>ORLEANSTRACKER_CONFIG</c> (one underscore) is not one.</summary>
    public const string Prefix = "ORLEANSTRACKER__";

    private const string Separator = "__";

    private EnvironmentOverrides(string? variable)
    {
        Variable = variable;
    }

    /// <summary>The variable naming this exact key, when one does (a leaf).</summary>
    public string? Variable { get; private set; }

    /// <summary>The variable's text; set together with <see cref="Variable"/>.</summary>
    public string? Text { get; private set; }

    /// <summary>Keys below this one, lower case, e.g. <c>access_tokens</c> or <c>0</c>.</summary>
    public SortedDictionary<string, EnvironmentOverrides> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>A variable somewhere at or below this key, to name in an error about it.</summary>
    public string AnyVariable => Variable ?? Children.Values.First().AnyVariable;

    /// <summary>The overrides in <paramref name="environment"/>; null when there are none.</summary>
    public static EnvironmentOverrides? From(IEnumerable<KeyValuePair<string, string?>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var root = new EnvironmentOverrides(null);
        // Sorted so the first error reported does not depend on the environment's order.
        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var path = name[Prefix.Length..].Split(Separator);
            if (path.Any(p => p.Length == 0 || p.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_'))))
            {
                throw new ConfigException(
                    $"environment variable {name}: not a key path; write {Prefix}SECTION__KEY in upper case with '__' between levels, e.g. {Prefix}HTTP_API__BIND_ADDRESS");
            }
            var node = root;
            foreach (var segment in path)
            {
                var key = segment.ToLowerInvariant();
                if (!node.Children.TryGetValue(key, out var child))
                    node.Children.Add(key, child = new EnvironmentOverrides(null));
                node = child;
            }
            node.Variable = name;
            node.Text = value ?? "";
        }
        return root.Children.Count == 0 ? null : root;
    }

    /// <summary>The process environment as name/value pairs.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ProcessEnvironment()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            yield return new KeyValuePair<string, string?>((string)entry.Key, entry.Value as string);
    }

    /// <summary>The variable for a documented key path such as <c>udp_trackers[].bind_address</c>.</summary>
    public static string VariableFor(string schemaPath)
    {
        ArgumentNullException.ThrowIfNull(schemaPath);
        return Prefix + schemaPath.Replace("[]", ".N", StringComparison.Ordinal).Replace(".*", ".NAME", StringComparison.Ordinal)
            .Replace(".", Separator, StringComparison.Ordinal)
            .ToUpperInvariant();
    }
}

/// <summary>A key's value taken from an environment variable: text until a typed getter reads it.</summary>
internal sealed record EnvironmentValue(string Variable, string Text);
