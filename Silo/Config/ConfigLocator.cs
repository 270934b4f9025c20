using System.Text;

namespace OrleansTracker.Silo.Config;

/// <summary>Finds the config file and writes the default one when it is missing.</summary>
public static class ConfigLocator
{
    /// <summary>The environment variable naming the config file when <c>--config</c> is not given.</summary>
    public const string EnvironmentVariable = "ORLEANSTRACKER_CONFIG";

    /// <summary>The file looked for in the working directory when nothing else names one.</summary>
    public const string DefaultFileName = "config.toml";

    private const string Option = "--config";

    /// <summary>
    /// The full path of the config file: <c>--config PATH</c> or <c>--config=PATH</c> (the last one wins),
    /// else <see cref="EnvironmentVariable"/>, else <c>config.toml</c>; relative paths are taken from
    /// <paramref name="currentDirectory"/>.
    /// </summary>
    public static string Resolve(string[] args, Func<string, string?> getEnvironmentVariable, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        string? path = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == Option)
            {
                if (i + 1 >= args.Length || args[i + 1].Length == 0)
                    throw new ConfigException($"{Option}: a path must follow, e.g. {Option} /etc/orleans-tracker/config.toml");
                path = args[++i];
            }
            else if (args[i].StartsWith(Option + "=", StringComparison.Ordinal))
            {
                path = args[i][(Option.Length + 1)..];
                if (path.Length == 0)
                    throw new ConfigException($"{Option}=: a path must follow the '=', e.g. {Option}=/etc/orleans-tracker/config.toml");
            }
        }
        if (path is null && getEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            path = fromEnvironment;
        return Path.GetFullPath(path ?? DefaultFileName, currentDirectory);
    }

    /// <summary><see cref="Resolve(string[], Func{string, string?}, string)"/> with the process environment.</summary>
    public static string Resolve(string[] args) =>
        Resolve(args, Environment.GetEnvironmentVariable, Environment.CurrentDirectory);

    /// <summary>Writes the default configuration with a new random admin token (<see cref="DefaultConfig.WithNewAdminToken"/>)
    /// to <paramref name="path"/> unless a file is already there; true when it wrote one. The directory must exist.</summary>
    public static bool EnsureExists(string path)
    {
        if (File.Exists(path))
            return false;
        try
        {
            // CreateNew, not Create: a file appearing meanwhile (another silo starting) is never overwritten.
            // Owner-only on Unix: the file holds the admin token.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, options);
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(DefaultConfig.WithNewAdminToken());
            stream.Write(bytes);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // e.g. /etc/orleans-tracker not writable by the service user: say what to do, not a stack trace.
            throw new ConfigException(path, null, null,
                $"the file does not exist and the default configuration cannot be written there ({e.Message}); create it, e.g. from the repository's config.toml");
        }
    }
}
