namespace OrleansTracker.Silo.Cli;

/// <summary>
/// The command line: <c>orleans-tracker [--config PATH] [COMMAND [ARGS]]</c>. Options of the whole
/// program (<c>--config</c>) may stand anywhere; the first other word is the command (default
/// <c>run</c>) and the words after it are its arguments.
/// </summary>
public sealed record CommandLine(string Command, IReadOnlyList<string> Arguments)
{
    public const string Usage = """
        usage: orleans-tracker [--config PATH] [COMMAND]

        commands:
          run                                   run the tracker (the default)
          keys add [--seconds N] [--key KEY]    add a key (random unless given; permanent unless --seconds)
          keys delete KEY                       delete a key
          keys list                             list keys: key, valid_until (unix s), expiry
          whitelist add HASH...                 whitelist info hashes (40 hex digits)
          whitelist add --file PATH             whitelist the hashes in a file, one per line (- : stdin)
          whitelist remove HASH...              remove info hashes from the whitelist
          whitelist list                        list whitelisted info hashes
          import torrust --from PATH|mysql://…  take over a Torrust Tracker database: completed
                                                counts, whitelist and keys (stop the tracker first)

        keys, whitelist and import work on the database named in the config (db_driver, db_path)
        and do not need a running tracker; on a running tracker, follow them with the admin API's
        /api/v1/keys/reload or /api/v1/whitelist/reload.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var words = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config")
            {
                i++; // its value; ConfigLocator checks it
                continue;
            }
            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
                continue;
            words.Add(args[i]);
        }
        return words.Count == 0 || words[0].StartsWith('-')
            ? new CommandLine("run", words)
            : new CommandLine(words[0], words.Skip(1).ToList());
    }
}

/// <summary>A command line that cannot be carried out as written (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message)
{
    public UsageException()
        : this("bad command line")
    {
    }

    public UsageException(string message, Exception innerException)
        : this(message) => _ = innerException;
}
