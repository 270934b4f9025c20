using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>The [cluster] rules that span keys: ADO.NET membership needs the shared MySQL database.</summary>
public sealed class ClusterConfigTests
{
    private const string MySql = "db_driver = \"mysql\"\ndb_path = \"mysql://tracker@127.0.0.1:3306/tracker\"\n";

    private static TrackerConfig Load(string toml) => ConfigLoader.LoadFromText(toml, "config.toml", _ => true);

    private static ConfigException Rejected(string toml) =>
        Assert.Throws<ConfigException>(() => Load(toml));

    [Fact]
    public void adonet_with_sqlite_is_rejected_naming_the_mode_key()
    {
        var error = Rejected("[cluster]\nmode = \"adonet\"\n");

        Assert.Equal("cluster.mode", error.Key);
        Assert.Equal(2, error.Line);
        Assert.Contains("set db_driver = \"mysql\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void adonet_silo_without_persistence_is_rejected()
    {
        var error = Rejected(MySql + "persistence = false\n[cluster]\nmode = \"adonet\"\n");

        Assert.Equal("cluster.mode", error.Key);
        Assert.Contains("persistence = true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void adonet_frontend_needs_no_persistence()
    {
        var config = Load(MySql + "persistence = false\n[cluster]\nmode = \"adonet\"\nrole = \"frontend\"\n");

        Assert.Equal(ClusterRole.Frontend, config.Cluster.Role);
    }

    [Fact]
    public void primary_silo_with_adonet_is_rejected()
    {
        var error = Rejected(MySql + "[cluster]\nmode = \"adonet\"\nprimary_silo = \"127.0.0.1:11111\"\n");

        Assert.Equal("cluster.primary_silo", error.Key);
    }

    [Fact]
    public void an_unknown_role_is_rejected()
    {
        var error = Rejected("[cluster]\nrole = \"edge\"\n");

        Assert.Equal("cluster.role", error.Key);
        Assert.Contains("\"silo\", \"frontend\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void adonet_on_mysql_is_accepted()
    {
        var config = Load(MySql + "[cluster]\nmode = \"adonet\"\nadvertised_ip = \"10.0.0.5\"\n");

        Assert.Equal(ClusterMode.AdoNet, config.Cluster.Mode);
        Assert.Equal(ClusterRole.Silo, config.Cluster.Role);
    }
}
