using OrleansTracker.Silo.Persistence;
using Xunit;

namespace OrleansTracker.Tests.Persistence;

/// <summary>Database errors name the database without its password, whatever form db_path has.</summary>
public sealed class DatabaseRedactionTests
{
    [Theory]
    [InlineData("mysql://tracker:S3cret@db.example:3306/tracker", "mysql://tracker:***@db.example:3306/tracker")]
    [InlineData("mysql://tracker:p@ss@db.example:3306/tracker", "mysql://tracker:***@db.example:3306/tracker")]
    [InlineData("Server=db.example;User ID=tracker;Password=S3cret;Database=tracker", "Server=db.example;User ID=tracker;Password=***;Database=tracker")]
    [InlineData("mysql://tracker@db.example/tracker", "mysql://tracker@db.example/tracker")]
    [InlineData("/var/lib/orleans-tracker/data.db", "/var/lib/orleans-tracker/data.db")]
    public void the_password_is_masked_and_nothing_else_changes(string dbPath, string shown)
    {
        Assert.Equal(shown, DatabaseConnectionStrings.Redact(dbPath));
    }
}
