using OrleansTracker.Silo.Cli;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Hosting;

// The tracker: reads config.toml (written with documented defaults when absent) and the
// ORLEANSTRACKER__* variables, then runs one Orleans silo with the UDP and HTTP frontends co-hosted
// until SIGTERM/Ctrl-C. Other commands (keys, whitelist, import, client, check, --print-config…) see CommandLine.Usage.
CommandLine command;
string path;
TrackerConfig config;
var environment = EnvironmentOverrides.ProcessEnvironment().ToList();
try
{
    command = CommandLine.Parse(args);
    // The tracker client asks other processes over the network: no config file, no database, no silo.
    if (command.IsTrackerClient)
        return await ClientCommands.RunAsync(command, Console.Out, Console.Error);
    path = ConfigLocator.Resolve(args, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());
    if (command.IsInformational)
        return InformationCommands.Run(command, path, environment, Console.Out, Console.Error);
    if (ConfigLocator.EnsureExists(path))
    {
        // Where the token is, never the token: this line may end up in a log.
        Console.Error.WriteLine($"Wrote default configuration to {Path.GetFullPath(path)}; "
            + $"the admin API token is {DefaultConfig.AdminTokenKey} in that file");
    }
    config = ConfigLoader.LoadFile(path, environment);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{CommandLine.Usage}");
    return 2;
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"Configuration error: {e.Message}");
    return 2;
}

try
{
    if (command.Command != "run")
        return await Commands.RunAsync(command, config);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{CommandLine.Usage}");
    return 2;
}
catch (OrleansTracker.Silo.Persistence.DatabaseException e)
{
    Console.Error.WriteLine($"Database error: {e.Message}");
    return 1;
}

try
{
    await TrackerHost.PrepareStorageAsync(config);
    var app = TrackerHost.Build(config);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException
                               or OrleansTracker.Silo.Persistence.DatabaseException
                               or Orleans.Runtime.OrleansException) // e.g. a frontend that found no silo
{
    Console.Error.WriteLine($"Tracker failed to start: {e.Message}");
    return 1;
}
