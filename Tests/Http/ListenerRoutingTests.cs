using OrleansTracker.Frontends.Protocol;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansTracker.Silo.Config;
using OrleansTracker.Silo.Hosting;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Http;

/// <summary>
/// Routes are told apart by the listener a connection came through, not by its local port: the
/// tracker host (in this process, on real sockets) with the HTTP tracker and the admin API on one
/// port of two loopback addresses, and with both on port 0. The config is built in code, because
/// the config reader refuses such files; the routing must be right whatever it is given.
/// </summary>
public sealed class ListenerRoutingTests : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task a_tracker_and_the_api_on_one_port_of_two_addresses_each_answer_only_their_own_routes()
    {
        var port = FreePorts.Next();
        var tracker = $"http://127.0.0.2:{port}";
        var api = $"http://127.0.0.1:{port}";
        await using var running = await Start(new IPEndPoint(IPAddress.Parse("127.0.0.2"), port), new IPEndPoint(IPAddress.Loopback, port));

        Assert.Equal(HttpStatusCode.OK, await Status($"{api}/api/health_check"));
        Assert.Equal(HttpStatusCode.OK, await Status($"{api}/api/v1/stats?token={Token}"));
        Assert.Equal(HttpStatusCode.NotFound, await Status($"{api}/announce?{Announce}"));
        Assert.Equal(HttpStatusCode.NotFound, await Status($"{api}/scrape?info_hash={Hash}"));

        Assert.Equal(HttpStatusCode.NotFound, await Status($"{tracker}/api/health_check"));
        Assert.Equal(HttpStatusCode.NotFound, await Status($"{tracker}/api/v1/stats?token={Token}"));
        var announce = BencodeDecoder.DecodeDict(await _http.GetByteArrayAsync($"{tracker}/announce?{Announce}"));
        Assert.False(announce.ContainsKey("failure reason"));
        Assert.Equal(1L, announce["incomplete"]);
    }

    [Fact]
    public async Task listeners_on_port_0_serve_their_routes()
    {
        await using var running = await Start(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0));
        var addresses = running.Host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        Assert.Equal(2, addresses.Count);
        var health = await Task.WhenAll(addresses.Select(a => Status($"{a}/api/health_check")));
        var api = addresses[Array.IndexOf(health, HttpStatusCode.OK)];
        var tracker = addresses.Single(a => a != api);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotFound], health.Order());
        Assert.False(BencodeDecoder.DecodeDict(await _http.GetByteArrayAsync($"{tracker}/announce?{Announce}")).ContainsKey("failure reason"));
        Assert.Equal(HttpStatusCode.NotFound, await Status($"{api}/announce?{Announce}"));
    }

    private const string Token = "routing-test-token";
    private const string Hash = "%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14";
    private const string Announce = "info_hash=" + Hash + "&peer_id=-qB4650-pppppppppppp&port=6881&left=1";

    private async Task<HttpStatusCode> Status(string url)
    {
        using var response = await _http.GetAsync(url);
        return response.StatusCode;
    }

    /// <summary>The tracker host with only an HTTP tracker and the admin API (no health-check API), memory only, on free silo ports.</summary>
    private static async Task<RunningHost> Start(IPEndPoint tracker, IPEndPoint api)
    {
        var config = new TrackerConfig
        {
            LogLevel = LogLevel.Warning,
            Persistence = false,
            UdpTrackers = [],
            HttpTrackers = [new HttpTrackerConfig { BindAddress = tracker }],
            HttpApi = new HttpApiConfig
            {
                BindAddress = api,
                AccessTokens = System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("test", Token),
            },
            Cluster = new ClusterConfig { SiloPort = FreePorts.Next(), GatewayPort = FreePorts.Next(), ClusterId = "routing-" + Guid.NewGuid().ToString("N") },
            HealthCheckApi = new HealthCheckApiConfig { Enabled = false }, // its own tests: Tests/Health
        };
        var host = TrackerHost.Build(config);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        return new RunningHost(host);
    }

    private sealed class RunningHost(IHost host) : IAsyncDisposable
    {
        public IHost Host => host;

        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token);
            host.Dispose();
        }
    }
}
