using System.Net;
using System.Text.RegularExpressions;
using Orleans.Hosting.Kubernetes;
using OrleansTracker.Silo.Config;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace OrleansTracker.Tests.Deploy;

/// <summary>
/// deploy/compose.yaml and deploy/kubernetes/*.yaml parse, and name only what the tracker reads:
/// every ORLEANSTRACKER__ variable is a key the config reader accepts with a value it takes (the
/// reader itself judges them), every other variable of a tracker container is one the tracker's
/// Orleans hosting or health check reads, and every port a container or Service names is one the
/// tracker listens on with that config, with the same protocol. No engine runs here to start them.
/// </summary>
public sealed partial class DeploymentManifestTests
{
    /// <summary>Variables a tracker container may set besides ORLEANSTRACKER__*: Orleans' Kubernetes hosting.</summary>
    private static readonly HashSet<string> OtherVariables =
    [
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
    ];

    [Fact]
    public void compose_runs_three_adonet_silos_on_mariadb_with_ports_and_variables_the_tracker_reads()
    {
        var compose = Manifests.Load(Path.Combine(Manifests.Deploy, "compose.yaml")).Single();
        var services = compose.Map("services");
        var silos = services.Children.Where(s => s.Value.Text("image").StartsWith("orleans-tracker", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, silos.Count);
        Assert.StartsWith("mariadb:", services.Map("mariadb").Text("image"), StringComparison.Ordinal);
        foreach (var (name, node) in silos)
        {
            var silo = (YamlMappingNode)node;
            var environment = silo.Map("environment").Children.ToDictionary(
                e => ((YamlScalarNode)e.Key).Value!, e => (string?)ComposeValue(((YamlScalarNode)e.Value).Value!));
            var config = TrackerConfigOf(environment, $"compose service {name}");
            Assert.Equal(ClusterMode.AdoNet, config.Cluster.Mode);
            Assert.Equal(DbDriver.MySql, config.DbDriver);
            Assert.Contains("@mariadb:3306/", config.DbPath, StringComparison.Ordinal);
            // It advertises (and listens on) its own fixed address on the cluster network.
            var address = silo.Map("networks").Map("cluster").Text("ipv4_address");
            Assert.Equal(IPAddress.Parse(address), config.Cluster.AdvertisedIp);
            var listening = Manifests.ListeningPorts(config);
            foreach (var mapping in silo.Seq("ports").Select(p => ((YamlScalarNode)p).Value!))
            {
                var target = mapping.Split(':')[^1];
                Assert.Contains(target.Contains('/', StringComparison.Ordinal) ? target : target + "/tcp", listening);
            }
            // The health check is the image's script against the health-check API, which is on.
            Assert.Equal(["CMD", "/usr/local/bin/orleans-tracker-health"], silo.Map("healthcheck").Seq("test").Select(t => ((YamlScalarNode)t).Value));
            Assert.True(config.HealthCheckApi.Enabled && config.HealthCheckApi.BindAddress.Equals(new IPEndPoint(IPAddress.Loopback, 1313)),
                "the health script asks 127.0.0.1:1313");
            Assert.True(File.Exists(Path.Combine(Manifests.Deploy, "image", "orleans-tracker-health")));
        }
    }

    [Fact]
    public void kubernetes_silos_use_kubernetes_hosting_with_the_downward_api_probes_on_the_health_check_and_udp_and_http_services()
    {
        var documents = Directory.GetFiles(Path.Combine(Manifests.Deploy, "kubernetes"), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(Manifests.Load).ToList();
        Assert.All(documents, d => Assert.True(d.Has("apiVersion") && d.Has("kind") && d.Has("metadata")));
        var deployment = documents.Single(d => d.Text("kind") == "Deployment");
        var pod = deployment.Map("spec").Map("template");
        var container = (YamlMappingNode)pod.Map("spec").Seq("containers").Single();
        var secrets = documents.Single(d => d.Text("kind") == "Secret").Map("stringData");

        var environment = new Dictionary<string, string?>();
        foreach (var variable in container.Seq("env").Cast<YamlMappingNode>())
        {
            var name = variable.Text("name");
            if (variable.Has("value"))
            {
                environment[name] = variable.Text("value");
                continue;
            }
            var from = variable.Map("valueFrom");
            if (from.Has("fieldRef"))
            {
                Assert.Contains(name, OtherVariables);
                environment[name] = from.Map("fieldRef").Text("fieldPath") == "status.podIP" ? "10.1.2.3" : "pod";
            }
            else
            {
                var key = from.Map("secretKeyRef").Text("key");
                environment[name] = secrets.Text(key); // the example Secret holds every key the pod asks for
            }
        }
        Assert.Superset(OtherVariables, environment.Keys.ToHashSet());
        var config = TrackerConfigOf(environment, "deploy/kubernetes/silo.yaml");
        Assert.True(config.Cluster.Kubernetes);
        Assert.Equal(ClusterMode.AdoNet, config.Cluster.Mode);
        var labels = pod.Map("metadata").Map("labels");
        Assert.Equal(config.Cluster.ClusterId, labels.Text("orleans/clusterId"));
        Assert.Equal(config.Cluster.ServiceId, labels.Text("orleans/serviceId"));
        Assert.Equal(documents.Single(d => d.Text("kind") == "ServiceAccount").Map("metadata").Text("name"), pod.Map("spec").Text("serviceAccountName"));

        // Container ports: each one the tracker listens on, with its protocol.
        var listening = Manifests.ListeningPorts(config);
        var namedPorts = container.Seq("ports").Cast<YamlMappingNode>().ToDictionary(
            p => p.Text("name"), p => $"{p.Text("containerPort")}/{p.Text("protocol").ToLowerInvariant()}");
        Assert.All(namedPorts.Values, port => Assert.Contains(port, listening));

        // Probes: GET /health_check on the health-check API's port, reachable on the pod's IP; the
        // admin API stays on loopback.
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            var get = container.Map(probe).Map("httpGet");
            Assert.Equal("/health_check", get.Text("path"));
            Assert.Equal($"{config.HealthCheckApi.BindAddress.Port}/tcp", namedPorts[get.Text("port")]);
        }
        Assert.True(config.HealthCheckApi.Enabled);
        Assert.False(IPAddress.IsLoopback(config.HealthCheckApi.BindAddress.Address), "the kubelet's probes cannot reach a loopback-only health check");
        Assert.True(IPAddress.IsLoopback(config.HttpApi.BindAddress.Address), "the admin API need not be reachable from outside the pod");

        // Services: one UDP, one HTTP, both selecting the silos' pods and targeting their named ports.
        var services = documents.Where(d => d.Text("kind") == "Service" && d.Map("spec").Map("selector").Text("app") == labels.Text("app")).ToList();
        var servicePorts = services.SelectMany(s => s.Map("spec").Seq("ports").Cast<YamlMappingNode>()).ToList();
        Assert.Equal(["TCP", "UDP"], servicePorts.Select(p => p.Text("protocol")).Order());
        Assert.All(servicePorts, p => Assert.EndsWith("/" + p.Text("protocol").ToLowerInvariant(), namedPorts[p.Text("targetPort")], StringComparison.Ordinal));
    }

    /// <summary>The reader's verdict on a container's variables, with the manifest named on failure.</summary>
    private static TrackerConfig TrackerConfigOf(Dictionary<string, string?> environment, string where)
    {
        var foreign = environment.Keys.Where(k => !k.StartsWith(EnvironmentOverrides.Prefix, StringComparison.Ordinal) && !OtherVariables.Contains(k)).ToList();
        Assert.True(foreign.Count == 0, $"{where} sets variables the tracker does not read: {string.Join(", ", foreign)}");
        try
        {
            return Manifests.TrackerConfigFrom(environment);
        }
        catch (ConfigException e)
        {
            throw new Xunit.Sdk.XunitException($"{where}: the tracker refuses its variables: {e.Message}");
        }
    }

    /// <summary>Compose interpolation: ${VAR:?message} is required (a placeholder here), ${VAR:-default} takes the default.</summary>
    private static string ComposeValue(string value) =>
        Interpolation().Replace(value, m => m.Groups["op"].Value == ":-" ? m.Groups["rest"].Value : "placeholder");

    [GeneratedRegex(@"\$\{(?<name>[A-Z_]+)(?<op>:\?|:-)(?<rest>[^}]*)\}")]
    private static partial Regex Interpolation();
}
