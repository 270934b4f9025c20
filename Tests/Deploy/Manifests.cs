using OrleansTracker.Silo.Config;
using OrleansTracker.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OrleansTracker.Tests.Deploy;

/// <summary>
/// The YAML of deploy/ as plain trees (YamlDotNet), with compose's merge keys (<c>&lt;&lt;: *anchor</c>)
/// applied, and what the tracker makes of a container's environment.
/// </summary>
internal static class Manifests
{
    public static string Deploy => Path.Combine(RepoPaths.Root, "deploy");

    /// <summary>Every document of a YAML file.</summary>
    public static List<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
            stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)Merge(d.RootNode)).ToList();
    }

    public static YamlMappingNode Map(this YamlNode node, string key) => (YamlMappingNode)node[key];

    public static YamlSequenceNode Seq(this YamlNode node, string key) => (YamlSequenceNode)node[key];

    public static string Text(this YamlNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(key);

    /// <summary>
    /// The config the tracker reads from the default file plus <paramref name="environment"/>: an
    /// unknown key, a bad value or a bad combination throws <see cref="ConfigException"/> naming the variable.
    /// </summary>
    public static TrackerConfig TrackerConfigFrom(IEnumerable<KeyValuePair<string, string?>> environment) =>
        ConfigLoader.LoadFromText(DefaultConfig.Text, "container", _ => true, environment);

    /// <summary>The ports the tracker listens on with that config, as "6969/udp", "7070/tcp".</summary>
    public static HashSet<string> ListeningPorts(TrackerConfig config)
    {
        var ports = config.UdpTrackers.Where(u => u.Enabled).Select(u => $"{u.BindAddress.Port}/udp").ToHashSet();
        foreach (var http in config.HttpTrackers.Where(h => h.Enabled))
        {
            ports.Add($"{http.BindAddress.Port}/tcp");
            if (http.SslEnabled)
                ports.Add($"{http.SslBindAddress.Port}/tcp");
        }
        if (config.HttpApi.Enabled)
            ports.Add($"{config.HttpApi.BindAddress.Port}/tcp");
        if (config.Dashboard.Enabled)
            ports.Add($"{config.Dashboard.BindAddress.Port}/tcp");
        if (config.HealthCheckApi.Enabled)
            ports.Add($"{config.HealthCheckApi.BindAddress.Port}/tcp");
        if (config.Cluster.Role == ClusterRole.Silo)
        {
            ports.Add($"{config.Cluster.SiloPort}/tcp");
            ports.Add($"{config.Cluster.GatewayPort}/tcp");
        }
        return ports;
    }

    private static YamlNode Merge(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var merged = new YamlMappingNode();
                if (map.Children.TryGetValue(new YamlScalarNode("<<"), out var baseNode))
                {
                    foreach (var (key, value) in (YamlMappingNode)Merge(baseNode))
                        merged.Add(key, value);
                }
                foreach (var (key, value) in map.Children.Where(c => ((YamlScalarNode)c.Key).Value != "<<"))
                {
                    merged.Children.Remove(key);
                    merged.Add(key, Merge(value));
                }
                return merged;
            case YamlSequenceNode sequence:
                return new YamlSequenceNode(sequence.Children.Select(Merge));
            default:
                return node;
        }
    }
}
