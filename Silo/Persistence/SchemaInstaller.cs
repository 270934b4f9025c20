using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace OrleansTracker.Silo.Persistence;

/// <summary>One versioned schema script, embedded from sql/&lt;engine&gt;/NNN_name.sql.</summary>
public sealed record SchemaScript(int Version, string Name, string Text);

/// <summary>
/// Creates or upgrades the tracker's database: runs the embedded scripts for the engine in version
/// order and records each in <c>schema_version</c>. Scripts already recorded are skipped; every
/// script is also idempotent on its own, so <c>reapplyAll</c> (or running a file by hand) is safe.
/// Concurrent installers (several silos starting together) serialise on a database lock.
/// </summary>
public static class SchemaInstaller
{
    private const string MySqlLockName = "orleans_tracker_schema";
    private const int LockWaitSeconds = 30;

    /// <summary>The embedded scripts for an engine, in version order.</summary>
    public static IReadOnlyList<SchemaScript> GetScripts(DatabaseDriver driver)
    {
        var folder = driver == DatabaseDriver.Sqlite ? "sqlite" : "mysql";
        var prefix = $"sql/{folder}/";
        var assembly = typeof(SchemaInstaller).Assembly;
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var normalized = resource.Replace('\\', '/');
            if (!normalized.StartsWith(prefix, StringComparison.Ordinal) || !normalized.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = normalized[prefix.Length..];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Schema script '{resource}' is not named NNN_description.sql.");
            }

            scripts.Add(new SchemaScript(version, name, ReadResource(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
            {
                throw new InvalidOperationException($"Two {folder} schema scripts share version {scripts[i].Version}.");
            }
        }

        return scripts;
    }

    /// <summary>Installs or upgrades the schema for <paramref name="settings"/>; no-op when disabled.</summary>
    public static Task<IReadOnlyList<int>> InstallAsync(DatabaseSettings settings, CancellationToken cancellationToken = default) =>
        settings.Enabled
            ? InstallAsync(settings.ParsedDriver, settings.ToConnectionString(), reapplyAll: false, cancellationToken)
            : Task.FromResult<IReadOnlyList<int>>([]);

    /// <summary>
    /// Installs or upgrades the schema. Returns the versions run by this call (empty when the
    /// database was already current). Throws <see cref="DatabaseException"/> when the database
    /// cannot be reached, opened or upgraded.
    /// </summary>
    public static Task<IReadOnlyList<int>> InstallAsync(
        DatabaseDriver driver, string connectionString, bool reapplyAll = false, CancellationToken cancellationToken = default) =>
        driver switch
        {
            DatabaseDriver.Sqlite => InstallSqliteAsync(connectionString, reapplyAll, cancellationToken),
            DatabaseDriver.MySql => InstallMySqlAsync(connectionString, reapplyAll, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(driver)),
        };

    private static async Task<IReadOnlyList<int>> InstallSqliteAsync(string connectionString, bool reapplyAll, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var path = builder.DataSource;
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {LockWaitSeconds * 1000};", ct);

            // WAL lets readers run while one writer commits; the mode is stored in the file.
            var mode = Convert.ToString(await ScalarAsync(connection, null, "PRAGMA journal_mode = WAL;", ct), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new DatabaseException($"SQLite database '{path}' refused WAL mode (journal_mode is '{mode}').");
            }

            // BEGIN IMMEDIATE: take the write lock before reading schema_version so two installers
            // cannot both decide to run the same script.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            var applied = await ReadAppliedAsync(connection, transaction,
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';", ct);
            var ran = new List<int>();
            foreach (var script in GetScripts(DatabaseDriver.Sqlite))
            {
                if (!reapplyAll && applied.Contains(script.Version))
                {
                    continue;
                }

                await RunScriptAsync(connection, transaction, script, $"SQLite database '{path}'", ct);
                await RecordAsync(connection, transaction, "INSERT OR IGNORE", script, ct);
                ran.Add(script.Version);
            }

            await transaction.CommitAsync(ct);
            return ran;
        }
        catch (SqliteException ex)
        {
            throw new DatabaseException(DescribeSqliteFailure(path, ex), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatabaseException($"SQLite database '{path}' cannot be created: {ex.Message}", ex);
        }
    }

    private static string DescribeSqliteFailure(string path, SqliteException ex) => ex.SqliteErrorCode switch
    {
        26 or 11 => $"SQLite database '{path}' is not a valid SQLite database or is corrupted ({ex.Message}). "
            + "Restore it from a backup, or move it away to start with an empty database.",
        14 => $"SQLite database '{path}' cannot be opened ({ex.Message}). Check that the directory exists and is writable.",
        5 or 6 => $"SQLite database '{path}' stayed locked by another process for {LockWaitSeconds} s ({ex.Message}).",
        8 => $"SQLite database '{path}' is read-only for this process ({ex.Message}).",
        _ => $"SQLite database '{path}' cannot be used: {ex.Message} (SQLite error {ex.SqliteErrorCode}).",
    };

    private static async Task<IReadOnlyList<int>> InstallMySqlAsync(string connectionString, bool reapplyAll, CancellationToken ct)
    {
        var target = DatabaseConnectionStrings.DescribeMySql(connectionString);
        var builder = new MySqlConnectionStringBuilder(connectionString);
        var database = builder.Database;
        if (string.IsNullOrWhiteSpace(database))
        {
            throw new DatabaseException($"{target}: the connection string names no database.");
        }

        try
        {
            // The database may not exist yet: connect without it, create it as utf8mb4 (server
            // defaults can still be latin1), then reconnect into it.
            var serverOnly = new MySqlConnectionStringBuilder(connectionString) { Database = "" };
            await using (var server = new MySqlConnection(serverOnly.ConnectionString))
            {
                await server.OpenAsync(ct);
                var quoted = "`" + database.Replace("`", "``", StringComparison.Ordinal) + "`";
                await ExecuteAsync(server, null,
                    $"CREATE DATABASE IF NOT EXISTS {quoted} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;", ct);
            }

            await using var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync(ct);
            var locked = Convert.ToInt64(
                await ScalarAsync(connection, null, $"SELECT GET_LOCK('{MySqlLockName}', {LockWaitSeconds});", ct) ?? 0L,
                CultureInfo.InvariantCulture);
            if (locked != 1)
            {
                throw new DatabaseException($"{target}: another installer held the schema lock for {LockWaitSeconds} s.");
            }

            try
            {
                var applied = await ReadAppliedAsync(connection, null,
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'schema_version';", ct);
                var ran = new List<int>();
                foreach (var script in GetScripts(DatabaseDriver.MySql))
                {
                    if (!reapplyAll && applied.Contains(script.Version))
                    {
                        continue;
                    }

                    // MySQL DDL commits implicitly, so scripts are not wrapped in a transaction;
                    // they are idempotent instead, and the version is recorded after success.
                    await RunScriptAsync(connection, null, script, target, ct);
                    await RecordAsync(connection, null, "INSERT IGNORE", script, ct);
                    ran.Add(script.Version);
                }

                return ran;
            }
            finally
            {
                await ExecuteAsync(connection, null, $"DO RELEASE_LOCK('{MySqlLockName}');", CancellationToken.None);
            }
        }
        catch (MySqlException ex)
        {
            throw new DatabaseException($"{target} is not usable: {ex.Message}", ex);
        }
    }

    private static async Task<HashSet<int>> ReadAppliedAsync(DbConnection connection, DbTransaction? transaction, string existsQuery, CancellationToken ct)
    {
        var applied = new HashSet<int>();
        var exists = Convert.ToInt64(await ScalarAsync(connection, transaction, existsQuery, ct), CultureInfo.InvariantCulture) > 0;
        if (!exists)
        {
            return applied;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM schema_version;";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return applied;
    }

    private static async Task RunScriptAsync(DbConnection connection, DbTransaction? transaction, SchemaScript script, string target, CancellationToken ct)
    {
        try
        {
            await ExecuteAsync(connection, transaction, script.Text, ct);
        }
        catch (DbException ex)
        {
            throw new DatabaseException($"{target}: schema script {script.Name} failed: {ex.Message}", ex);
        }
    }

    private static async Task RecordAsync(DbConnection connection, DbTransaction? transaction, string insert, SchemaScript script, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"{insert} INTO schema_version (version, name) VALUES (@version, @name);";
        AddParameter(command, "@version", script.Version);
        AddParameter(command, "@name", script.Name);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 120;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded schema script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
