using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>[cluster] probe_timeout, tls_* and kubernetes: defaults, and the combinations refused with the key named.</summary>
public sealed class ClusterOperationsKeysTests : IDisposable
{
    private const string MySql = "db_driver = \"mysql\"\ndb_path = \"mysql://tracker@127.0.0.1:3306/tracker\"\n";
    private readonly string _directory = Directory.CreateTempSubdirectory("cluster-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TrackerConfig Load(string toml) => ConfigLoader.LoadFromText(toml, "config.toml", _ => true);

    [Fact]
    public void defaults_are_a_one_second_probe_timeout_plain_tcp_and_no_kubernetes()
    {
        var cluster = Load("").Cluster;

        Assert.Equal(TimeSpan.FromSeconds(1), cluster.ProbeTimeout);
        Assert.Null(cluster.Tls);
        Assert.False(cluster.Kubernetes);
        Assert.Equal(TimeSpan.FromSeconds(5), Load("[cluster]\nprobe_timeout = 5\n").Cluster.ProbeTimeout);
    }

    [Fact]
    public void tls_takes_all_three_files_and_names_the_missing_one()
    {
        var cert = Touch("node.crt");
        var key = Touch("node.key");
        var ca = Touch("ca.crt");

        var tls = Load($"[cluster]\ntls_cert_path = \"{cert}\"\ntls_key_path = \"{key}\"\ntls_ca_path = \"{ca}\"\n").Cluster.Tls;
        Assert.Equal(new ClusterTlsFiles(cert, key, ca), tls);

        var missing = Assert.Throws<ConfigException>(() => Load($"[cluster]\ntls_cert_path = \"{cert}\"\ntls_key_path = \"{key}\"\n"));
        Assert.Equal("cluster.tls_ca_path", missing.Key);
        Assert.Contains("tls_cert_path and tls_key_path", missing.Message, StringComparison.Ordinal);

        var absent = Assert.Throws<ConfigException>(() =>
            Load($"[cluster]\ntls_cert_path = \"{cert}\"\ntls_key_path = \"{key}\"\ntls_ca_path = \"{ca}.gone\"\n"));
        Assert.Equal("cluster.tls_ca_path", absent.Key);
    }

    [Fact]
    public void kubernetes_needs_adonet_membership_and_a_silo()
    {
        Assert.True(Load(MySql + "[cluster]\nmode = \"adonet\"\nkubernetes = true\n").Cluster.Kubernetes);

        var localhost = Assert.Throws<ConfigException>(() => Load("[cluster]\nkubernetes = true\n"));
        Assert.Equal("cluster.kubernetes", localhost.Key);
        var frontend = Assert.Throws<ConfigException>(() => Load(MySql + "[cluster]\nmode = \"adonet\"\nrole = \"frontend\"\nkubernetes = true\n"));
        Assert.Equal("cluster.kubernetes", frontend.Key);
    }

    private string Touch(string name)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, "");
        return path;
    }
}

/// <summary>Kubernetes hosting only inside a pod: outside one the start stops with the key named, before any port opens.</summary>
public sealed class KubernetesHostingSwitchTests
{
    [Fact]
    public void kubernetes_true_without_the_downward_api_variables_stops_the_start_naming_the_key()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("POD_NAME")), "this test runs outside a pod");
        var config = ConfigLoader.LoadFromText(
            "db_driver = \"mysql\"\ndb_path = \"mysql://tracker@127.0.0.1:3306/tracker\"\n[cluster]\nmode = \"adonet\"\nkubernetes = true\n",
            "config.toml", _ => true);

        var error = Assert.Throws<InvalidOperationException>(() => Silo.Hosting.TrackerHost.Build(config));

        Assert.Contains("cluster.kubernetes = true but POD_NAME is not set", error.Message, StringComparison.Ordinal);
    }
}
