using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Orleans.Hosting;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Persistence;

namespace OrleansTracker.Silo.Hosting;

/// <summary>Membership and endpoints from <c>[cluster]</c>, for a silo and for a frontend-only client.</summary>
internal static class ClusterSetup
{
    public static void ConfigureSilo(ISiloBuilder silo, TrackerConfig config)
    {
        var cluster = config.Cluster;
        if (cluster.Mode == ClusterMode.AdoNet)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = StorageRegistration.MySqlInvariant;
                o.ConnectionString = MembershipConnectionString(config);
            });
            ConfigureAdoNetEndpoints(silo, cluster);
        }
        else
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, PrimarySilo(cluster), cluster.ServiceId, cluster.ClusterId);
        }
        silo.Configure<ClusterOptions>(o => Identify(o, cluster));
        silo.Configure<ClusterMembershipOptions>(o => FailureDetection.Configure(o, cluster.ProbeTimeout));
        ClusterTls.ConfigureSilo(silo, cluster);
    }

    /// <summary>
    /// With advertised_ip the silo and gateway ports listen on that address only (not on every
    /// interface of the host). In Kubernetes the pod's IP (POD_IP) is advertised and the ports listen
    /// on the pod's interfaces. Otherwise: an address of the host's name, listening on all.
    /// </summary>
    private static void ConfigureAdoNetEndpoints(ISiloBuilder silo, ClusterConfig cluster)
    {
        if (cluster.AdvertisedIp is { } advertised)
        {
            silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
        }
        else if (cluster.Kubernetes)
        {
            foreach (var variable in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP" })
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
                    throw new InvalidOperationException($"cluster.kubernetes = true but {variable} is not set: run it in a pod with {variable} from the downward API (deploy/kubernetes/silo.yaml), or set kubernetes = false");
            }
            silo.Configure<EndpointOptions>(o => (o.SiloPort, o.GatewayPort) = (cluster.SiloPort, cluster.GatewayPort));
            silo.UseKubernetesHosting();
        }
        else
        {
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
        }
    }

    public static void ConfigureClient(IClientBuilder client, TrackerConfig config)
    {
        var cluster = config.Cluster;
        if (cluster.Mode == ClusterMode.AdoNet)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = StorageRegistration.MySqlInvariant;
                o.ConnectionString = MembershipConnectionString(config);
            });
        }
        else
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        }
        client.Configure<ClusterOptions>(o => Identify(o, cluster));
        ClusterTls.ConfigureClient(client, cluster);
        // A frontend may start before the silos (or while they restart): keep trying for a while
        // instead of exiting at once, so the start order of a deployment does not matter.
        var attempts = 0;
        client.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            if (++attempts > ClientConnectAttempts)
                return false;
            await Task.Delay(ClientConnectRetryDelay, cancellationToken);
            return true;
        });
    }

    /// <summary>How long a frontend waits for the cluster at start: 60 attempts, 2 s apart.</summary>
    private const int ClientConnectAttempts = 60;
    private static readonly TimeSpan ClientConnectRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>Silos and frontends meet only with the same cluster id; the service id names the stored state.</summary>
    private static void Identify(ClusterOptions options, ClusterConfig cluster)
    {
        options.ClusterId = cluster.ClusterId;
        options.ServiceId = cluster.ServiceId;
    }

    private static string MembershipConnectionString(TrackerConfig config) =>
        DatabaseConnectionStrings.From(DatabaseDriver.MySql, config.DbPath);

    /// <summary>Null for the primary itself (primary_silo unset), else its resolved silo endpoint.</summary>
    private static IPEndPoint? PrimarySilo(ClusterConfig cluster)
    {
        if (cluster.PrimarySilo is not { } text)
            return null;
        var colon = text.LastIndexOf(':');
        var host = text[..colon].Trim('[', ']');
        var port = int.Parse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        var address = IPAddress.TryParse(host, out var ip)
            ? ip
            : Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new InvalidOperationException($"cluster.primary_silo: '{host}' has no IPv4 address");
        return new IPEndPoint(address, port);
    }
}
