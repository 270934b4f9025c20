namespace OrleansTracker.Silo.Config;

/// <summary>
/// A configuration that cannot be used. The message always starts with the source and the key, e.g.
/// <c>config.toml: udp_trackers[0].bind_address: 'abc' is not an address:port … (line 7)</c>, so an operator can fix
/// it without reading code.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates an exception whose message is used as given.</summary>
    public ConfigException()
    {
    }

    /// <summary>Creates an exception whose message is used as given.</summary>
    public ConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception whose message is used as given.</summary>
    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming <paramref name="key"/> in <paramref name="sourceName"/>.</summary>
    public ConfigException(string sourceName, string? key, int? line, string problem, Exception? innerException = null)
        : this(sourceName, key, line, null, problem, innerException)
    {
    }

    /// <summary>Creates an exception naming <paramref name="key"/> (or, for syntax errors, the column).</summary>
    public ConfigException(string sourceName, string? key, int? line, int? column, string problem, Exception? innerException = null)
        : base(Format(sourceName, key, line, column, problem), innerException)
    {
        SourceName = sourceName;
        Key = key;
        Line = line;
    }

    /// <summary>The file (or other source) the configuration came from.</summary>
    public string? SourceName { get; }

    /// <summary>The dotted key path, e.g. <c>http_trackers[0].ssl_cert_path</c>; null for syntax errors.</summary>
    public string? Key { get; }

    /// <summary>The 1-based line of the offending key, when known.</summary>
    public int? Line { get; }

    private static string Format(string sourceName, string? key, int? line, int? column, string problem)
    {
        var where = key is null ? sourceName : $"{sourceName}: {key}";
        return (line, column) switch
        {
            ({ } l, { } c) => $"{where}: {problem} (line {l}, column {c})",
            ({ } l, null) => $"{where}: {problem} (line {l})",
            _ => $"{where}: {problem}",
        };
    }
}
