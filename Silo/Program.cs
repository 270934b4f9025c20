using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Hosting;

// The tracker: reads config.toml (written with documented defaults when absent), then runs one
// Orleans silo with the UDP and HTTP frontends co-hosted until SIGTERM/Ctrl-C.
string path;
TrackerConfig config;
try
{
    path = ConfigLocator.Resolve(args, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());
    if (ConfigLocator.EnsureExists(path))
        Console.Error.WriteLine($"Wrote default configuration to {Path.GetFullPath(path)}");
    config = ConfigLoader.LoadFile(path);
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"Configuration error: {e.Message}");
    return 2;
}

OrleansTracker.Silo.Cli.CommandLine command;
try
{
    command = OrleansTracker.Silo.Cli.CommandLine.Parse(args);
    if (command.Command != "run")
        return await OrleansTracker.Silo.Cli.Commands.RunAsync(command, config);
}
catch (OrleansTracker.Silo.Cli.UsageException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{OrleansTracker.Silo.Cli.CommandLine.Usage}");
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
