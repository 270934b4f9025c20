namespace OrleansTracker.Silo.Config;

/// <summary>The database engine behind persistence (TOML key <c>db_driver</c>).</summary>
public enum DbDriver
{
    /// <summary><c>sqlite3</c>: <c>db_path</c> is a file path.</summary>
    Sqlite3,

    /// <summary><c>mysql</c>: <c>db_path</c> is a <c>mysql://</c> URL or an ADO.NET connection string.</summary>
    MySql,
}
