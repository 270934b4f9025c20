using System.Globalization;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Silo.Persistence;

namespace OrleansTracker.Silo.Cli;

/// <summary>
/// <c>keys …</c> and <c>whitelist …</c>: change the whitelist and keys in the database directly, so an
/// operator can seed a private tracker before its first start. Output is one line per item, easy
/// to read and to cut: <c>KEY VALID_UNTIL EXPIRY</c> or <c>HASH</c>.
/// </summary>
public static class AccessListCommands
{
    public static async Task<int> KeysAsync(IReadOnlyList<string> args, SqlAccessListStore store, TextWriter output, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(clock);
        switch (args.Count > 0 ? args[0] : "")
        {
            case "add":
                var options = Options(args.Skip(1).ToList(), "--seconds", "--key");
                var key = options.GetValueOrDefault("--key") ?? AuthKeyText.Generate();
                if (!AuthKeyText.IsValid(key))
                    throw new UsageException($"--key: a key is {AuthKeyText.Length} ASCII letters and digits");
                long? validUntil = null;
                if (options.TryGetValue("--seconds", out var text))
                {
                    if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > AuthKeyText.MaxSecondsValid)
                        throw new UsageException("--seconds: a whole number of seconds, at least 1");
                    validUntil = clock.GetUtcNow().ToUnixTimeSeconds() + seconds;
                }
                var entry = new AuthKeyEntry(key, validUntil);
                await store.UpsertKeyAsync(entry);
                await output.WriteLineAsync(Line(entry));
                return 0;
            case "delete" when args.Count == 2:
                if (!await store.DeleteKeyAsync(args[1]))
                {
                    await output.WriteLineAsync($"no such key: {args[1]}");
                    return 1;
                }
                return 0;
            case "list" when args.Count == 1:
                foreach (var k in await store.LoadKeysAsync())
                    await output.WriteLineAsync(Line(k));
                return 0;
            default:
                throw new UsageException("keys: expected 'keys add [--seconds N] [--key KEY]', 'keys delete KEY' or 'keys list'");
        }
    }

    public static async Task<int> WhitelistAsync(IReadOnlyList<string> args, SqlAccessListStore store, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        switch (args.Count > 0 ? args[0] : "")
        {
            case "add" when args.Count > 1:
                var hashes = args[1] == "--file" && args.Count == 3 ? await HashesFromFile(args[2]) : Hashes(args.Skip(1));
                var added = await store.AddWhitelistedAsync(hashes);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{added} added, {hashes.Count - added} already listed"));
                return 0;
            case "remove" when args.Count > 1:
                var toRemove = Hashes(args.Skip(1));
                var missing = 0;
                foreach (var hash in toRemove)
                {
                    if (!await store.RemoveWhitelistedAsync(hash))
                        missing++;
                }
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{toRemove.Count - missing} removed, {missing} were not listed"));
                return 0;
            case "list" when args.Count == 1:
                foreach (var hash in await store.LoadWhitelistAsync())
                    await output.WriteLineAsync(hash.ToHex());
                return 0;
            default:
                throw new UsageException("whitelist: expected 'whitelist add HASH...', 'whitelist remove HASH...' or 'whitelist list'");
        }
    }

    /// <summary>One hash per line; blank lines and lines starting with '#' are skipped ("-": standard input).</summary>
    private static async Task<List<InfoHash>> HashesFromFile(string path)
    {
        string text;
        try
        {
            text = path == "-" ? await Console.In.ReadToEndAsync() : await File.ReadAllTextAsync(path);
        }
        catch (IOException e)
        {
            throw new UsageException($"--file: {e.Message}");
        }
        return Hashes(text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
    }

    private static string Line(AuthKeyEntry entry) => entry.ValidUntil is { } until
        ? string.Create(CultureInfo.InvariantCulture, $"{entry.Key} {until} {DateTimeOffset.FromUnixTimeSeconds(until):yyyy-MM-ddTHH:mm:ssZ}")
        : $"{entry.Key} - permanent";

    private static List<InfoHash> Hashes(IEnumerable<string> words) => words
        .Select(w => InfoHash.TryParseHex(w, out var hash) ? hash : throw new UsageException($"'{w}' is not an info hash (40 hex digits)"))
        .Distinct()
        .ToList();

    /// <summary>Named options (<c>--name value</c> or <c>--name=value</c>); anything else is an error.</summary>
    internal static Dictionary<string, string> Options(IReadOnlyList<string> words, params string[] allowed)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? word[..eq] : word;
            if (!allowed.Contains(name))
                throw new UsageException($"unexpected '{word}' (expected {string.Join(" or ", allowed)})");
            var value = eq > 0 ? word[(eq + 1)..] : (i + 1 < words.Count ? words[++i] : throw new UsageException($"{name}: a value must follow"));
            options[name] = value;
        }
        return options;
    }
}
