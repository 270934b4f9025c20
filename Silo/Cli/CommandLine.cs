namespace OrleansTracker.Silo.Cli;

/// <summary>
/// The command line: <c>orleans-tracker [OPTIONS] [COMMAND [ARGS]]</c>. <c>--config PATH</c> may stand
/// anywhere; the other options stand before the command. The first other word is the command (default
/// <c>run</c>) and the words after it are its arguments. The options <c>--help</c>, <c>--version</c>,
/// <c>--print-config</c>, <c>--print-config-docs</c> and <c>--print-default-config</c> are commands of their own.
/// </summary>
public sealed record CommandLine(string Command, IReadOnlyList<string> Arguments)
{
    public const string Help = "--help";
    public const string Version = "--version";
    public const string PrintConfig = "--print-config";
    public const string PrintConfigDocs = "--print-config-docs";
    public const string PrintDefaultConfig = "--print-default-config";

    public const string Usage = """
        usage: orleans-tracker [--config PATH] [OPTION | COMMAND]

        options:
          --config PATH                         the configuration file (default: config.toml in the working
                                                directory, or the file named by ORLEANSTRACKER_CONFIG); run
                                                writes it with every default when it does not exist
          --print-config                        print the effective configuration (file, defaults and
                                                ORLEANSTRACKER__* variables) as TOML, tokens and passwords masked
          --print-config-docs                   print every option with its type, default and meaning
                                                (docs/configuration.md)
          --print-default-config                print the repository's config.toml: every option at its
                                                default (a file run writes gets a random admin token)
          --version                             print the version
          -h, --help                            print this text

        commands:
          run                                   run the tracker (the default); SIGTERM or Ctrl-C stops it
                                                cleanly (exit code 0)
          keys add [--seconds N] [--key KEY]    add a key (random unless given; permanent unless --seconds)
          keys delete KEY                       delete a key
          keys list                             list keys: key, valid_until (unix s), expiry
          whitelist add HASH...                 whitelist info hashes (40 hex digits)
          whitelist add --file PATH             whitelist the hashes in a file, one per line (- : stdin)
          whitelist remove HASH...              remove info hashes from the whitelist
          whitelist list                        list whitelisted info hashes
          import torrust --from PATH|mysql://…  take over a Torrust Tracker database: completed
                                                counts, whitelist and keys (stop the tracker first)
          client announce URL HASH [OPTIONS]    announce to any tracker and print its answer as JSON
          client scrape URL HASH... [OPTIONS]   scrape any tracker and print its answer as JSON
          check URL... [OPTIONS]                announce (started), scrape and announce (stopped) on each
                                                tracker; one ok/failed line per URL, exit 0 only if all pass

        URL is udp://host:port[/path?query] (the path and query go as BEP 41 URL data),
        http(s)://host:port/announce (scrape: "announce" replaced by "scrape") or
        ws(s)://host:port[/announce]; IPv6 as [::1]. HASH is 40 hex digits. OPTIONS:
          --key KEY                             a private tracker's key (sent as /announce/KEY)
          --timeout SECONDS                     bound on each exchange (default 5)
          --insecure                            https/wss: accept a certificate that does not validate
          --port N --left N --uploaded N --downloaded N --numwant N
                                                announce fields (defaults 6881, 0, 0, 0, 50)
          --event started|stopped|completed|none   the announce's event (default started)
          --info-hash HASH                      check: the hash announced (default
                                                48a7b08f20231ace06de86cdc4055406b7210a73)
        client and check need no config file and start no tracker.

        keys, whitelist and import work on the database named in the config (db_driver, db_path)
        and do not need a running tracker; on a running tracker, follow them with the admin API's
        /api/v1/keys/reload or /api/v1/whitelist/reload.

        environment:
          ORLEANSTRACKER_CONFIG                 the configuration file, when --config is not given
          ORLEANSTRACKER__KEY__PATH             sets a config key over the file: the key path in upper
                                                case with "__" between levels, e.g.
                                                ORLEANSTRACKER__LOG_LEVEL=debug
                                                ORLEANSTRACKER__HTTP_API__ACCESS_TOKENS__ADMIN=…
                                                ORLEANSTRACKER__UDP_TRACKERS__0__BIND_ADDRESS=0.0.0.0:6969

        exit codes: 0 success, 1 the tracker or database failed (client, check: the tracker refused,
        did not answer in time or could not be reached), 2 a bad command line or configuration,
        3 an import skipped rows.
        """;

    private static readonly string[] OptionCommands = [Help, "-h", Version, PrintConfig, PrintConfigDocs, PrintDefaultConfig];

    /// <summary>True for the commands that only print (no tracker, no database).</summary>
    public bool IsInformational => Command is Help or Version or PrintConfig or PrintConfigDocs or PrintDefaultConfig;

    /// <summary>True for the tracker client's commands (<c>client</c>, <c>check</c>): network only, no config file read or written.</summary>
    public bool IsTrackerClient => Command is ClientCommands.Client or ClientCommands.Check;

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
        // --help after a command too ("keys --help"): asking for help never does anything else.
        if (words.Contains(Help) || (words.Count > 0 && words[0] == "-h"))
            return new CommandLine(Help, []);
        if (words.Count == 0)
            return new CommandLine("run", []);
        var first = words[0];
        if (OptionCommands.Contains(first))
        {
            return words.Count == 1
                ? new CommandLine(first, [])
                : throw new UsageException($"{first} takes no arguments (found '{words[1]}')");
        }
        if (first.StartsWith('-'))
            throw new UsageException($"unknown option '{first}'");
        return new CommandLine(first, words.Skip(1).ToList());
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
