using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace OrleansTracker.Silo.Config;

/// <summary>Reads <c>db_path</c>: a SQLite file path, or for MySQL a Torrust-style
/// <c>mysql://user:pass@host:port/db</c> URL or an ADO.NET connection string.</summary>
internal static class DbConnectionStrings
{
    private const string MySqlScheme = "mysql://";
    private const int MySqlDefaultPort = 3306;

    /// <summary>The ADO.NET connection string; throws <see cref="FormatException"/> when <paramref name="dbPath"/>
    /// does not parse (the loader reports that as a config error first).</summary>
    public static string ToAdoNet(DbDriver driver, string dbPath) => driver switch
    {
        DbDriver.Sqlite3 => new SqliteConnectionStringBuilder { DataSource = dbPath }.ConnectionString,
        _ => ParseMySql(dbPath).ConnectionString,
    };

    /// <summary>Null when valid, else what is wrong.</summary>
    public static string? Validate(DbDriver driver, string dbPath)
    {
        if (string.IsNullOrWhiteSpace(dbPath))
            return "must not be empty";
        if (driver == DbDriver.Sqlite3)
        {
            return dbPath.StartsWith(MySqlScheme, StringComparison.OrdinalIgnoreCase)
                ? "is a MySQL URL but db_driver is \"sqlite3\"; set db_driver = \"mysql\""
                : null;
        }
        try
        {
            _ = ParseMySql(dbPath);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    /// <summary><paramref name="dbPath"/> with any MySQL password replaced by <c>***</c>, for display.</summary>
    public static string MaskPassword(DbDriver driver, string dbPath)
    {
        if (driver == DbDriver.Sqlite3)
            return dbPath;
        if (IsUrl(dbPath))
        {
            // By position, not by Uri: a password with an unencoded '@' must not come out whole.
            // The user ends at the first ':' after the scheme, the password at the last '@'.
            var at = dbPath.LastIndexOf('@');
            var colon = dbPath.IndexOf(':', MySqlScheme.Length);
            return colon > 0 && colon < at
                ? string.Concat(dbPath.AsSpan(0, colon + 1), "***", dbPath.AsSpan(at))
                : dbPath;
        }
        try
        {
            var builder = new MySqlConnectionStringBuilder(dbPath);
            if (!string.IsNullOrEmpty(builder.Password))
                builder.Password = "***";
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return dbPath;
        }
    }

    private static bool IsUrl(string dbPath) => dbPath.StartsWith(MySqlScheme, StringComparison.OrdinalIgnoreCase);

    private static MySqlConnectionStringBuilder ParseMySql(string dbPath)
    {
        if (IsUrl(dbPath))
            return ParseMySqlUrl(dbPath);
        if (!dbPath.Contains('=', StringComparison.Ordinal))
            throw new FormatException("is neither a URL such as mysql://user:pass@host:3306/database nor a connection string such as Server=host;Database=db;User ID=user;Password=pass");
        try
        {
            return new MySqlConnectionStringBuilder(dbPath);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"is not a valid MySQL connection string: {e.Message}", e);
        }
    }

    private static MySqlConnectionStringBuilder ParseMySqlUrl(string url)
    {
        const string Shape = "a URL such as mysql://user:pass@host:3306/database";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException($"is not {Shape}");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
            throw new FormatException($"names no database; expected {Shape}");
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new FormatException($"has a query or fragment, which is not supported; expected {Shape} (use a connection string for extra options)");
        var userInfo = uri.UserInfo;
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? userInfo : userInfo[..colon];
        var password = colon < 0 ? "" : userInfo[(colon + 1)..];
        return new MySqlConnectionStringBuilder
        {
            Server = uri.Host.Trim('[', ']'),
            Port = (uint)(uri.IsDefaultPort || uri.Port < 0 ? MySqlDefaultPort : uri.Port),
            Database = database,
            UserID = Uri.UnescapeDataString(user),
            Password = Uri.UnescapeDataString(password),
        };
    }
}
