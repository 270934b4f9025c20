using Microsoft.Extensions.Logging;

namespace OrleansTracker.Silo.Hosting;

internal static class TrackerLogging
{
    /// <summary>
    /// One line per message at log_level. Orleans and ASP.NET are noisy at Information (Orleans
    /// logs every grain placement under "Polly"), so they are held at Warning unless the operator
    /// asks for debug or trace.
    /// </summary>
    public static void Configure(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(level);
        var frameworks = level < LogLevel.Information ? level : (level > LogLevel.Warning ? level : LogLevel.Warning);
        foreach (var category in new[] { "Orleans", "Polly", "Microsoft" })
            logging.AddFilter(category, frameworks);
        // Filters match by prefix, so "Orleans" above would also silence our own categories.
        logging.AddFilter("OrleansTracker", level);
    }
}
