using System.Globalization;
using System.Security.Cryptography;
using OrleansTracker.Frontends.Client;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Silo.Cli;

/// <summary>
/// The words after <c>client announce|scrape</c> and <c>check</c>: positional words (URLs, hashes)
/// and options, <c>--name value</c> or <c>--name=value</c>, in any order. Each value is checked
/// here, so a bad one is a <see cref="UsageException"/> (exit 2) before anything goes on the wire.
/// </summary>
public sealed class ClientOptions
{
    private const string Insecure = "--insecure";
    private static readonly string[] Valued = ["--key", "--port", "--left", "--uploaded", "--downloaded", "--event", "--numwant", "--timeout", "--info-hash"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public List<string> Words { get; } = [];

    public bool AcceptAnyCertificate { get; private set; }

    public static ClientOptions Parse(IEnumerable<string> args, params string[] allowed)
    {
        var options = new ClientOptions();
        using var words = args.GetEnumerator();
        while (words.MoveNext())
        {
            var word = words.Current;
            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                options.Words.Add(word);
                continue;
            }
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? word[..eq] : word;
            if (!allowed.Contains(name))
                throw new UsageException($"unknown option '{name}' (here: {string.Join(", ", allowed)})");
            if (name == Insecure)
            {
                options.AcceptAnyCertificate = eq < 0 ? true : throw new UsageException("--insecure takes no value");
                continue;
            }
            options._values[name] = eq > 0 ? word[(eq + 1)..] : words.MoveNext() ? words.Current : throw new UsageException($"{name}: a value must follow");
        }
        return options;
    }

    /// <summary>All options of announce; scrape and check take a subset.</summary>
    public static string[] AnnounceOptions => [.. Valued.Where(v => v != "--info-hash"), Insecure];

    public static string[] ScrapeOptions => ["--key", "--timeout", Insecure];

    public static string[] CheckOptions => ["--key", "--timeout", "--info-hash", "--port", Insecure];

    public string? Key => _values.GetValueOrDefault("--key");

    public string? CheckedInfoHash => _values.GetValueOrDefault("--info-hash");

    public TrackerClientOptions Client => new(TimeSpan.FromSeconds(Number("--timeout", 5, 1, 300)), AcceptAnyCertificate);

    public TrackerUrl Url(string text)
    {
        try
        {
            return TrackerUrl.Parse(text, Key);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public static InfoHash Hash(string text) => InfoHash.TryParseHex(text, out var hash) && text.Length == InfoHash.Length * 2
        ? hash
        : throw new UsageException($"'{text}' is not an info hash (40 hex digits)");

    /// <summary>The announce these options describe; a random peer id and key, as a client picks them at start.</summary>
    public ClientAnnounce Announce(InfoHash hash, AnnounceEvent? defaultEvent = null) => new(
        hash,
        NewPeerId(),
        Downloaded: Number("--downloaded", 0, 0, long.MaxValue),
        Left: Number("--left", 0, 0, long.MaxValue),
        Uploaded: Number("--uploaded", 0, 0, long.MaxValue),
        Event: defaultEvent ?? Event(),
        Key: RandomNumberGenerator.GetInt32(int.MaxValue),
        NumWant: (int)Number("--numwant", 50, 0, 1000),
        Port: (ushort)Number("--port", 6881, 1, ushort.MaxValue));

    private AnnounceEvent Event() => _values.GetValueOrDefault("--event", "started") switch
    {
        "started" => AnnounceEvent.Started,
        "stopped" => AnnounceEvent.Stopped,
        "completed" => AnnounceEvent.Completed,
        "none" or "" => AnnounceEvent.None,
        var other => throw new UsageException($"--event: '{other}' is none of started, stopped, completed, none"),
    };

    private long Number(string name, long fallback, long min, long max)
    {
        if (!_values.TryGetValue(name, out var text))
            return fallback;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"{name}: a whole number from {min} to {max} (found '{text}')");
    }

    /// <summary>Azureus style, "-OT0100-" and 12 random characters: trackers and their logs see which client this is.</summary>
    private static PeerId NewPeerId()
    {
        var id = "-OT0100-"u8.ToArray().Concat(RandomNumberGenerator.GetItems("0123456789abcdefghijklmnopqrstuvwxyz"u8, 12)).ToArray();
        return PeerId.Read(id);
    }
}
