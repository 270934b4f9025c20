using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Logging;

internal static class TrackerLogging
{
    /// <summary>
    /// One line (text) or one JSON object (json) per message at log_level, on standard output,
    /// with secrets masked (<see cref="RedactingLoggerProvider"/>). Orleans and ASP.NET are noisy at
    /// Information (Orleans logs every grain placement under "Polly"), so they are held at Warning
    /// unless the operator asks for debug or trace.
    /// </summary>
    public static void Configure(ILoggingBuilder logging, LogLevel level, LogFormat format = LogFormat.Text)
    {
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        // The console provider is registered by type; replace it with the same provider behind the redactor.
        logging.Services.RemoveAll<ILoggerProvider>();
        logging.Services.AddSingleton<ILoggerProvider>(sp =>
            new RedactingLoggerProvider(new ConsoleLoggerProvider(
                sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), sp.GetServices<ConsoleFormatter>())));
        logging.SetMinimumLevel(level);
        var frameworks = level < LogLevel.Information ? level : (level > LogLevel.Warning ? level : LogLevel.Warning);
        foreach (var category in new[] { "Orleans", "Polly", "Microsoft" })
            logging.AddFilter(category, frameworks);
        // Filters match by prefix, so "Orleans" above would also silence our own categories.
        logging.AddFilter("OrleansTracker", level);
    }
}
