using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using OrleansTracker.Grains.Access;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Silo.Persistence;

/// <summary>
/// The whitelist and keys in the tracker's own tables (sql/*/tracker_tables). Used by the grains
/// and by the command line on a stopped tracker, so it installs the schema itself on first use.
/// Whitelist and keys are always kept in the database, whatever <c>persistence</c> says: that
/// switch is about swarm statistics, and a private tracker that forgot its keys on restart would
/// lock its users out.
/// </summary>
public sealed class SqlAccessListStore : IAccessListStore
{
    private readonly DatabaseDriver _driver;
    private readonly string _connectionString;
    private readonly SqliteGate? _gate;
    private readonly Lock _schemaLock = new();
    private Task? _schema;

    public SqlAccessListStore(DatabaseDriver driver, string connectionString)
    {
        _driver = driver;
        _connectionString = connectionString;
        _gate = driver == DatabaseDriver.Sqlite ? SqliteGate.For(connectionString) : null;
    }

    /// <summary>The store for config.toml's db_driver and db_path.</summary>
    public static SqlAccessListStore For(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SqlAccessListStore(settings.ParsedDriver, settings.ToConnectionString());
    }

    public Task<IReadOnlyList<InfoHash>> LoadWhitelistAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<InfoHash>>(async (connection, ct) =>
        {
            await using var command = Command(connection, "SELECT info_hash FROM tracker_whitelist ORDER BY info_hash");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var hashes = new List<InfoHash>();
            while (await reader.ReadAsync(ct))
            {
                var text = reader.GetString(0);
                // Rows are only written through this class, but a hand edit must not stop the tracker.
                if (InfoHash.TryParseHex(text.Trim(), out var hash))
                    hashes.Add(hash);
            }
            return hashes;
        }, cancellationToken);

    public Task<bool> AddWhitelistedAsync(InfoHash hash, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, ct) =>
        {
            var sql = _driver == DatabaseDriver.Sqlite
                ? "INSERT INTO tracker_whitelist (info_hash) VALUES (@hash) ON CONFLICT (info_hash) DO NOTHING"
                : "INSERT IGNORE INTO tracker_whitelist (info_hash) VALUES (@hash)";
            await using var command = Command(connection, sql, ("@hash", hash.ToHex()));
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken);

    public Task<bool> RemoveWhitelistedAsync(InfoHash hash, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, ct) =>
        {
            await using var command = Command(connection, "DELETE FROM tracker_whitelist WHERE info_hash = @hash", ("@hash", hash.ToHex()));
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<AuthKeyEntry>> LoadKeysAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AuthKeyEntry>>(async (connection, ct) =>
        {
            await using var command = Command(connection, "SELECT `key`, valid_until FROM tracker_keys ORDER BY `key`");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var keys = new List<AuthKeyEntry>();
            while (await reader.ReadAsync(ct))
            {
                var key = reader.GetString(0);
                if (!AuthKeyText.IsValid(key))
                    continue;
                long? validUntil = reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                keys.Add(new AuthKeyEntry(key, validUntil));
            }
            return keys;
        }, cancellationToken);

    public Task UpsertKeyAsync(AuthKeyEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!AuthKeyText.IsValid(entry.Key))
            throw new ArgumentException("a key is 32 ASCII letters and digits", nameof(entry));
        return WriteAsync(async (connection, ct) =>
        {
            var sql = _driver == DatabaseDriver.Sqlite
                ? "INSERT INTO tracker_keys (`key`, valid_until) VALUES (@key, @until) ON CONFLICT (`key`) DO UPDATE SET valid_until = excluded.valid_until"
                : "INSERT INTO tracker_keys (`key`, valid_until) VALUES (@key, @until) ON DUPLICATE KEY UPDATE valid_until = VALUES(valid_until)";
            await using var command = Command(connection, sql, ("@key", entry.Key), ("@until", entry.ValidUntil));
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);
    }

    public Task<bool> DeleteKeyAsync(string key, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, ct) =>
        {
            await using var command = Command(connection, "DELETE FROM tracker_keys WHERE `key` = @key", ("@key", key));
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken);

    /// <summary>Adds many hashes in one transaction (import); returns how many were new.</summary>
    public Task<int> AddWhitelistedAsync(IReadOnlyCollection<InfoHash> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var sql = _driver == DatabaseDriver.Sqlite
            ? "INSERT INTO tracker_whitelist (info_hash) VALUES (@hash) ON CONFLICT (info_hash) DO NOTHING"
            : "INSERT IGNORE INTO tracker_whitelist (info_hash) VALUES (@hash)";
        return InTransactionAsync(hashes, sql, h => [("@hash", h.ToHex())], cancellationToken);
    }

    /// <summary>Inserts or updates many keys in one transaction (import); returns how many rows changed.</summary>
    public Task<int> UpsertKeysAsync(IReadOnlyCollection<AuthKeyEntry> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Any(k => !AuthKeyText.IsValid(k.Key)))
            throw new ArgumentException("a key is 32 ASCII letters and digits", nameof(keys));
        var sql = _driver == DatabaseDriver.Sqlite
            ? "INSERT INTO tracker_keys (`key`, valid_until) VALUES (@key, @until) ON CONFLICT (`key`) DO UPDATE SET valid_until = excluded.valid_until"
            : "INSERT INTO tracker_keys (`key`, valid_until) VALUES (@key, @until) ON DUPLICATE KEY UPDATE valid_until = VALUES(valid_until)";
        return InTransactionAsync(keys, sql, k => [("@key", k.Key), ("@until", k.ValidUntil)], cancellationToken);
    }

    /// <summary>Runs one statement per item, all or nothing.</summary>
    private Task<int> InTransactionAsync<T>(
        IReadOnlyCollection<T> items, string sql, Func<T, (string, object?)[]> parameters, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var changed = 0;
            foreach (var item in items)
            {
                await using var command = Command(connection, sql, parameters(item));
                command.Transaction = transaction;
                changed += await command.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            return changed;
        }, cancellationToken);

    private async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        return await RunAsync(write: false, operation, ct);
    }

    private async Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        return await RunAsync(write: true, operation, ct);
    }

    private async Task<T> RunAsync<T>(bool write, Func<DbConnection, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        T result = default!;
        async Task Run()
        {
            await using var connection = Open();
            await connection.OpenAsync(ct);
            if (write && _driver == DatabaseDriver.Sqlite)
            {
                // An acknowledged whitelist or key change must survive a power cut too, not only a
                // crash: FULL syncs the WAL on every commit (admin changes are rare, so it is cheap).
                await using var pragma = Command(connection, "PRAGMA synchronous = FULL");
                await pragma.ExecuteNonQueryAsync(ct);
            }
            result = await operation(connection, ct);
        }

        try
        {
            if (_gate is null)
                await Run();
            else if (write)
                await _gate.WriteAsync(Run);
            else
                await _gate.ReadAsync(Run);
            return result;
        }
        catch (DbException e)
        {
            throw new DatabaseException($"Whitelist/key storage failed on {Describe()}: {e.Message}", e);
        }
    }

    /// <summary>Installs the schema once per store; a failed attempt is retried by the next call.</summary>
    private async Task EnsureSchemaAsync(CancellationToken ct)
    {
        Task schema;
        lock (_schemaLock)
            schema = _schema ??= SchemaInstaller.InstallAsync(_driver, _connectionString, reapplyAll: false, CancellationToken.None);
        try
        {
            await schema.WaitAsync(ct);
        }
        catch (DatabaseException)
        {
            lock (_schemaLock)
            {
                if (ReferenceEquals(_schema, schema))
                    _schema = null;
            }
            throw;
        }
    }

    private DbConnection Open() => _driver == DatabaseDriver.Sqlite
        ? new SqliteConnection(_connectionString)
        : new MySqlConnection(_connectionString);

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // the SQL is constant text chosen above; values go in parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private string Describe() => _driver == DatabaseDriver.Sqlite
        ? $"SQLite database '{new SqliteConnectionStringBuilder(_connectionString).DataSource}'"
        : DatabaseConnectionStrings.DescribeMySql(_connectionString);
}
