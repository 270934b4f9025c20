using System.Globalization;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace OrleansTracker.Silo.Persistence;

/// <summary>The database engines the tracker can persist into.</summary>
public enum DatabaseDriver
{
    /// <summary>A local SQLite file (config value "sqlite3").</summary>
    Sqlite,

    /// <summary>MySQL or MariaDB (config value "mysql").</summary>
    MySql,
}

/// <summary>Persistence configuration as read from config.toml.</summary>
/// <param name="Enabled">False keeps grain state and reminders in memory.</param>
/// <param name="Driver">"sqlite3" or "mysql".</param>
/// <param name="ConnectionStringOrPath">
/// The config's db_path: a file path for SQLite, or <c>mysql://user:pass@host:port/db</c>; an
/// ADO.NET connection string is accepted for either.
/// </param>
public sealed record DatabaseSettings(bool Enabled, string Driver, string ConnectionStringOrPath)
{
    /// <summary>Settings that keep everything in memory.</summary>
    public static DatabaseSettings Disabled { get; } = new(false, "sqlite3", "");

    /// <summary>The parsed <see cref="Driver"/>.</summary>
    public DatabaseDriver ParsedDriver => DatabaseConnectionStrings.ParseDriver(Driver);

    /// <summary>The ADO.NET connection string for <see cref="ConnectionStringOrPath"/>.</summary>
    public string ToConnectionString() => DatabaseConnectionStrings.From(ParsedDriver, ConnectionStringOrPath);
}

/// <summary>Turns config values into drivers and ADO.NET connection strings.</summary>
public static class DatabaseConnectionStrings
{
    /// <summary>Seconds a SQLite command keeps retrying on a locked database before it fails.</summary>
    public const int SqliteBusyTimeoutSeconds = 30;

    public static DatabaseDriver ParseDriver(string driver) => driver.Trim().ToUpperInvariant() switch
    {
        "SQLITE3" or "SQLITE" => DatabaseDriver.Sqlite,
        "MYSQL" or "MARIADB" => DatabaseDriver.MySql,
        _ => throw new ArgumentException(
            $"Unknown database driver '{driver}': expected \"sqlite3\" or \"mysql\".", nameof(driver)),
    };

    /// <summary>Builds a connection string from a db_path value (see <see cref="DatabaseSettings"/>).</summary>
    public static string From(DatabaseDriver driver, string dbPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dbPath);
        return driver switch
        {
            DatabaseDriver.Sqlite => ForSqlite(dbPath.Trim()),
            DatabaseDriver.MySql => ForMySql(dbPath.Trim()),
            _ => throw new ArgumentOutOfRangeException(nameof(driver)),
        };
    }

    private static string ForSqlite(string dbPath)
    {
        var builder = LooksLikeSqliteConnectionString(dbPath)
            ? new SqliteConnectionStringBuilder(dbPath)
            : new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(dbPath) };
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Pooling = true;
        if (builder.DefaultTimeout == new SqliteConnectionStringBuilder().DefaultTimeout)
        {
            builder.DefaultTimeout = SqliteBusyTimeoutSeconds;
        }

        return builder.ConnectionString;
    }

    private static bool LooksLikeSqliteConnectionString(string value) =>
        value.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("DataSource=", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("Filename=", StringComparison.OrdinalIgnoreCase);

    private static string ForMySql(string dbPath)
    {
        if (!dbPath.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase))
        {
            return new MySqlConnectionStringBuilder(dbPath).ConnectionString;
        }

        if (!Uri.TryCreate(dbPath, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"Invalid MySQL URL '{Redact(dbPath)}': expected mysql://user:pass@host:port/database.");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0)
        {
            throw new ArgumentException($"MySQL URL '{Redact(dbPath)}' names no database: expected mysql://user:pass@host:port/database.");
        }

        var builder = new MySqlConnectionStringBuilder
        {
            Server = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 3306u : (uint)uri.Port,
            Database = database,
        };
        var userInfo = uri.UserInfo;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.UserID = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>Hides the password of a mysql:// URL or connection string for error messages (a SQLite path is left as it is).</summary>
    internal static string Redact(string dbPath) => OrleansTracker.Silo.Config.DbConnectionStrings.MaskPassword(OrleansTracker.Silo.Config.DbDriver.MySql, dbPath);

    internal static string DescribeMySql(string connectionString)
    {
        var b = new MySqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"MySQL server {b.Server}:{b.Port} (database '{b.Database}', user '{b.UserID}')");
    }
}
