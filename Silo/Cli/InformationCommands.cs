using System.Reflection;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Cli;

/// <summary>The commands that only print: <c>--help</c>, <c>--version</c>, <c>--print-config</c>,
/// <c>--print-config-docs</c>, <c>--print-default-config</c>. None of them writes a file or opens a database.</summary>
public static class InformationCommands
{
    /// <summary>The product version as built, e.g. <c>1.0.0+3f2c…</c> (the commit is added by the SDK).</summary>
    public static string ProductVersion =>
        typeof(InformationCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(InformationCommands).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Runs <paramref name="command"/> (one of <see cref="CommandLine.IsInformational"/>); returns the exit code.</summary>
    public static int Run(CommandLine command, string configPath, IEnumerable<KeyValuePair<string, string?>> environment, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        switch (command.Command)
        {
            case CommandLine.Help:
                output.Write(CommandLine.Usage);
                return 0;
            case CommandLine.Version:
                output.WriteLine($"orleans-tracker {ProductVersion}");
                return 0;
            case CommandLine.PrintConfigDocs:
                output.Write(ConfigDocs.Render());
                return 0;
            case CommandLine.PrintDefaultConfig:
                output.Write(DefaultConfig.Text);
                return 0;
            case CommandLine.PrintConfig:
                output.Write(ConfigPrinter.Render(EffectiveConfig(configPath, environment, errors)));
                return 0;
            default:
                throw new UsageException($"'{command.Command}' is not an information command");
        }
    }

    /// <summary>What <c>run</c> would use, without writing the default file when it is missing.</summary>
    private static TrackerConfig EffectiveConfig(string configPath, IEnumerable<KeyValuePair<string, string?>> environment, TextWriter errors)
    {
        if (File.Exists(configPath))
            return ConfigLoader.LoadFile(configPath, environment);
        errors.WriteLine($"# {configPath} does not exist: the defaults it would be written with, and the environment");
        return ConfigLoader.LoadFromText(DefaultConfig.Text, configPath, environment: environment);
    }
}
