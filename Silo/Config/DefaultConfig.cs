using System.Security.Cryptography;
using System.Text;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// The default config.toml, written from the declared keys (<see cref="ConfigSchema"/>): every key with its
/// default value and its comment, optional keys commented out with an example. <see cref="Text"/> is the
/// repository's <c>/config.toml</c> (a test keeps the two identical); a file the tracker writes on its first
/// start (<see cref="WithNewAdminToken"/>) differs from it only by a random admin token.
/// </summary>
public static class DefaultConfig
{
    private const string Intro = """
        # OrleansTracker configuration (TOML). Key names follow the Torrust tracker.
        # Every option is shown with its default value; a missing key takes its default, an unknown key is an error.
        # Durations are whole seconds. Another file can be chosen with --config PATH or ORLEANSTRACKER_CONFIG.
        # Any key can also be set by an environment variable, which wins over this file: ORLEANSTRACKER__ and the
        # key path in upper case with "__" between levels, e.g. ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN or
        # ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS (block 0 of [[udp_trackers]]). See docs/configuration.md.

        """;

    /// <summary>The key of the admin token in the written file, for the message that says where to find it.</summary>
    public const string AdminTokenKey = "http_api.access_tokens.admin";

    /// <summary>The repository's config.toml, with <c>\n</c> line endings: the admin token is the well-known
    /// <see cref="HttpApiConfig.WellKnownToken"/>, which the tracker accepts on loopback only.</summary>
    public static string Text { get; } = Render(new TrackerConfig());

    /// <summary><see cref="Text"/> with a new random admin token: what the tracker writes when there is no file.</summary>
    public static string WithNewAdminToken() => WithAdminToken(NewToken());

    /// <summary><see cref="Text"/> with <paramref name="token"/> as the admin token.</summary>
    public static string WithAdminToken(string token) => Render(new TrackerConfig
    {
        HttpApi = new HttpApiConfig { AccessTokens = new HttpApiConfig().AccessTokens.SetItem("admin", token) },
    });

    /// <summary>256 bits from the system's CSPRNG, as 43 URL-safe characters (fit for <c>?token=</c> as they are).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Render(TrackerConfig values)
    {
        var file = new AnnotatedToml(Intro.ReplaceLineEndings("\n"));
        file.Table(ConfigSchema.Root, values, "");
        return file.ToString();
    }

    /// <summary>Paragraphs separated by one blank line: a banner, a top-level key with its comment, the note
    /// of an array of tables, a table with its keys.</summary>
    private sealed class AnnotatedToml(string intro)
    {
        private const int BannerWidth = 79;
        private readonly StringBuilder _text = new(intro);
        private bool _joinNext;

        public void Table(TableSpec table, object values, string path)
        {
            foreach (var key in table.Keys)
            {
                if (key.Banner is { } banner)
                {
                    Paragraph();
                    _text.Append($"# ---- {banner.Title} ".PadRight(BannerWidth, '-')).Append('\n');
                    _joinNext = banner.Tight;
                }
                var keyPath = path.Length == 0 ? key.Name : $"{path}.{key.Name}";
                if (!key.IsContainer && path.Length == 0)
                    Paragraph();
                switch (key.Kind)
                {
                    case KeyKind.Table:
                        Header(key, $"[{keyPath}]");
                        Table(key.Table!, key.ValueIn(values)!, keyPath);
                        break;
                    case KeyKind.Blocks:
                        Paragraph();
                        Comment(key.Attribute.Comment);
                        foreach (var block in (System.Collections.IEnumerable)key.ValueIn(values)!)
                        {
                            Paragraph();
                            _text.Append("[[").Append(keyPath).Append("]]\n");
                            Table(key.Table!, block, keyPath);
                        }
                        break;
                    case KeyKind.Entries:
                        Header(key, $"[{keyPath}]");
                        foreach (var (name, secret) in (IEnumerable<KeyValuePair<string, string>>)key.ValueIn(values)!)
                            _text.Append(TomlLiterals.Key(name)).Append(" = ").Append(TomlLiterals.Quote(secret)).Append('\n');
                        break;
                    default:
                        Comment(key.Attribute.Comment);
                        Value(key, key.ValueIn(values));
                        break;
                }
            }
        }

        public override string ToString() => _text.ToString();

        private void Header(KeySpec key, string header)
        {
            Paragraph();
            Comment(key.Attribute.Comment);
            _text.Append(header).Append('\n');
        }

        private void Value(KeySpec key, object? value)
        {
            if (TomlLiterals.Of(value) is { } literal)
            {
                _text.Append(key.Name).Append(" = ").Append(literal).Append('\n');
                return;
            }
            var example = key.Attribute.Example ?? throw new InvalidOperationException($"{key.Path} is unset by default: give it an Example");
            _text.Append("# ").Append(key.Name).Append(" = ").Append(TomlLiterals.Quote(example)).Append('\n');
        }

        private void Comment(string comment)
        {
            if (comment.Length == 0)
                return;
            foreach (var line in comment.ReplaceLineEndings("\n").Split('\n'))
                _text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }

        /// <summary>A blank line before the next paragraph, unless a tight banner asked to join it.</summary>
        private void Paragraph()
        {
            if (!_joinNext)
                _text.Append('\n');
            _joinNext = false;
        }
    }
}
