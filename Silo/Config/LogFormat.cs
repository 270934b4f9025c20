namespace OrleansTracker.Silo.Config;

/// <summary><c>log_format</c>: how each log message is written to standard output.</summary>
public enum LogFormat
{
    /// <summary>One human-readable line: UTC time, level, category, message.</summary>
    Text,

    /// <summary>One JSON object per line (Microsoft.Extensions.Logging's JSON console format), for log shippers.</summary>
    Json,
}
