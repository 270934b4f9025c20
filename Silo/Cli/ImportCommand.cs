using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Hosting;
using OrleansTracker.Silo.Import;
using OrleansTracker.Silo.Persistence;

namespace OrleansTracker.Silo.Cli;

/// <summary>
/// <c>import torrust --from SOURCE</c>: takes over a Torrust Tracker database. Every row is checked
/// first and every skipped row is printed with its reason; whitelist and keys are then written in
/// one transaction each, and completed counts through the torrent grains (in a silo of the
/// command's own), so they are stored exactly as the tracker stores them. A count already in our
/// database is kept when it is larger. Exit code 0: all rows imported; 3: some rows skipped.
/// </summary>
public static class ImportCommand
{
    public const int ExitSkippedRows = 3;

    /// <summary>Grain writes in flight: enough to keep SQLite's writer or a MySQL pool busy.</summary>
    private const int Concurrency = 32;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TrackerConfig config, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (args.Count == 0 || args[0] != "torrust")
            throw new UsageException("import: expected 'import torrust --from PATH|mysql://user:pass@host:port/db'");
        var options = AccessListCommands.Options(args.Skip(1).ToList(), "--from");
        if (!options.TryGetValue("--from", out var source))
            throw new UsageException("import torrust: --from names the Torrust database (a SQLite file or a mysql:// URL)");

        var tables = await TorrustDatabase.ReadAsync(source, cancellationToken);
        if (tables is { Torrents: null, Whitelist: null, Keys: null })
            throw new DatabaseException($"'{DatabaseConnectionStrings.Redact(source)}' has none of Torrust's tables (torrents, whitelist, keys).");
        var plan = TorrustImport.Plan(tables);
        foreach (var line in plan.Reports.SelectMany(r => r.Skipped))
            await errors.WriteLineAsync("skipped " + line);

        var store = SqlAccessListStore.For(SiloSetup.AccessListDatabase(config));
        if (plan.Whitelist.Count > 0)
            await store.AddWhitelistedAsync(plan.Whitelist, cancellationToken);
        plan.WhitelistReport.Imported = plan.Whitelist.Count;
        if (plan.Keys.Count > 0)
            await store.UpsertKeysAsync(plan.Keys.Values.ToList(), cancellationToken);
        plan.KeysReport.Imported = plan.Keys.Count;

        try
        {
            if (plan.Completed.Count > 0)
            {
                if (!config.Persistence)
                    throw new UsageException("import: persistence = false in the config, so completed counts would not be kept; "
                                             + "whitelist and keys were imported, counts were not");
                await ImportCountsAsync(plan, config, cancellationToken);
            }
        }
        finally
        {
            // Also after a failure: the operator sees exactly how far it got (the import can be re-run).
            foreach (var report in plan.Reports)
                await output.WriteLineAsync(report.ToString());
        }
        return plan.SkippedRows > 0 ? ExitSkippedRows : 0;
    }

    private static async Task ImportCountsAsync(TorrustImportPlan plan, TrackerConfig config, CancellationToken cancellationToken)
    {
        using var host = await MaintenanceSilo.StartAsync(config, cancellationToken);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var imported = 0;
        try
        {
            await Parallel.ForEachAsync(
                plan.Completed,
                new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
                async (item, _) =>
                {
                    await grains.GetGrain<ITorrentGrain>(TorrentKeys.For(item.Key)).ImportCompleted(item.Value);
                    Interlocked.Increment(ref imported);
                });
        }
        finally
        {
            plan.Torrents.Imported = imported;
            await host.StopAsync(CancellationToken.None);
        }
    }
}
