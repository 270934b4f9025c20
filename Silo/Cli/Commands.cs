using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Hosting;
using OrleansTracker.Silo.Persistence;

namespace OrleansTracker.Silo.Cli;

/// <summary>Runs the commands other than <c>run</c> against the configured database.</summary>
public static class Commands
{
    public static Task<int> RunAsync(CommandLine command, TrackerConfig config)
    {
        ArgumentNullException.ThrowIfNull(command);
        var store = new Lazy<SqlAccessListStore>(() => SqlAccessListStore.For(SiloSetup.AccessListDatabase(config)));
        return command.Command switch
        {
            "keys" => AccessListCommands.KeysAsync(command.Arguments, store.Value, Console.Out, TimeProvider.System),
            "whitelist" => AccessListCommands.WhitelistAsync(command.Arguments, store.Value, Console.Out),
            "import" => ImportCommand.RunAsync(command.Arguments, config, Console.Out, Console.Error, CancellationToken.None),
            _ => throw new UsageException($"unknown command '{command.Command}'"),
        };
    }
}
