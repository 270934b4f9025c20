using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using OrleansTracker.Silo.Persistence;

namespace OrleansTracker.Silo.Import;

/// <summary>One row as the Torrust database holds it, before any checking.</summary>
/// <param name="Id">The row's id column, to name it in reports.</param>
public sealed record TorrustRow(long Id, object? First, object? Second);

/// <summary>The three Torrust tables the tracker takes over; null where the table does not exist.</summary>
public sealed record TorrustTables(
    IReadOnlyList<TorrustRow>? Torrents,
    IReadOnlyList<TorrustRow>? Whitelist,
    IReadOnlyList<TorrustRow>? Keys);

/// <summary>
/// Reads an existing Torrust Tracker database (SQLite file or MySQL URL): tables <c>torrents</c>
/// (info_hash, completed), <c>whitelist</c> (info_hash) and <c>keys</c> (key, valid_until). Values are
/// read raw and checked by <see cref="TorrustImport"/>, so a bad row is reported, not thrown on.
/// The SQLite file is opened read-only: an import never changes the source.
/// </summary>
public static class TorrustDatabase
{
    public static async Task<TorrustTables> ReadAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var isMySql = source.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase)
                      || source.Contains("Server=", StringComparison.OrdinalIgnoreCase);
        await using DbConnection connection = isMySql ? OpenMySql(source) : OpenSqlite(source);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new TorrustTables(
                await ReadTableAsync(connection, isMySql, "SELECT id, info_hash, completed FROM torrents ORDER BY id", cancellationToken),
                await ReadTableAsync(connection, isMySql, "SELECT id, info_hash, NULL FROM whitelist ORDER BY id", cancellationToken),
                await ReadTableAsync(connection, isMySql, "SELECT id, `key`, valid_until FROM `keys` ORDER BY id", cancellationToken));
        }
        catch (DbException e)
        {
            throw new DatabaseException($"Torrust database '{DatabaseConnectionStrings.Redact(source)}' cannot be read: {e.Message}", e);
        }
    }

    private static SqliteConnection OpenSqlite(string path)
    {
        if (!File.Exists(path))
            throw new DatabaseException($"Torrust database '{path}' does not exist.");
        return new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Mode = SqliteOpenMode.ReadOnly }.ConnectionString);
    }

    private static MySqlConnection OpenMySql(string source) =>
        new(DatabaseConnectionStrings.From(DatabaseDriver.MySql, source));

    /// <summary>The rows of one table; null when the table is missing (reported, not fatal).</summary>
    private static async Task<IReadOnlyList<TorrustRow>?> ReadTableAsync(DbConnection connection, bool isMySql, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // constant SQL
        command.CommandText = sql;
#pragma warning restore CA2100
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<TorrustRow>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new TorrustRow(
                    Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
                    reader.IsDBNull(1) ? null : reader.GetValue(1),
                    reader.IsDBNull(2) ? null : reader.GetValue(2)));
            }
            return rows;
        }
        catch (SqliteException e) when (!isMySql && e.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        catch (MySqlException e) when (isMySql && e.ErrorCode == MySqlErrorCode.NoSuchTable)
        {
            return null;
        }
    }
}
