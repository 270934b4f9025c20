using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// An Orleans client in the test process, connected straight to one silo's gateway port: what
/// anyone who reaches TCP gateway_port could run. Used to see where torrents live and to show that
/// a TLS cluster refuses a client without the certificate. One attempt, bounded.
/// </summary>
internal sealed class OutsideClient : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private readonly IHost _host;

    private OutsideClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects or throws (the gateway refused, or the handshake failed).</summary>
    public static async Task<OutsideClient> ConnectAsync(int gatewayPort, string clusterId, Action<IClientBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "orleans-tracker"));
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            configure?.Invoke(client);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(ConnectTimeout);
            return new OutsideClient(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Torrent activations per silo port, from Orleans' management grain.</summary>
    public async Task<Dictionary<int, int>> TorrentActivationsBySiloPortAsync()
    {
        var statistics = await Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("TorrentGrain", StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress.Endpoint.Port)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // the cluster may be gone already
        }
        _host.Dispose();
    }
}
