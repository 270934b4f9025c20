using System.Globalization;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// The zero-setup cluster: two tracker processes on one machine in mode = "localhost", the second
/// joining the first through primary_silo, both on one SQLite file.
/// </summary>
public sealed class LocalhostClusterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tracker-localhost-cluster-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Config(int? primarySiloPort) => $$"""
        log_level = "warn"
        db_path = "{{Path.Combine(_directory, "shared.db")}}"

        [[udp_trackers]]
        bind_address = "127.0.0.1:{udp}"

        [[http_trackers]]
        bind_address = "127.0.0.1:{http}"

        [http_api]
        enabled = false

        [cluster]
        silo_port = {silo}
        gateway_port = {gateway}
        {{(primarySiloPort is { } port ? $"primary_silo = \"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}\"" : "")}}
        """;

    /// <summary>A frontend-only process in localhost mode uses the silo gateway at 127.0.0.1:gateway_port.</summary>
    private static string FrontendConfig(int gatewayPort) => $$"""
        log_level = "warn"
        persistence = false

        [[udp_trackers]]
        bind_address = "127.0.0.1:{udp}"

        [[http_trackers]]
        bind_address = "127.0.0.1:{http}"

        [http_api]
        enabled = false

        [cluster]
        role = "frontend"
        gateway_port = {{gatewayPort.ToString(CultureInfo.InvariantCulture)}}
        """;

    [Fact]
    public async Task a_second_silo_and_a_frontend_join_the_primary_and_share_swarms_and_connection_ids()
    {
        await using var primary = await TrackerProcess.StartAsync(Config(null));
        await using var secondary = await TrackerProcess.StartAsync(Config(primary.Ports.Silo));
        using var driver = new SwarmDriver();
        var hash = TestPeers.NewInfoHash();

        // Connect answered by the primary; announce with that id on the secondary, over UDP.
        await driver.ShareConnectionIdFromAsync(primary);
        Assert.Equal(new SwarmAnswer(1, 0), await driver.AnnounceAsync(secondary, overUdp: true, new ClusterPeer(hash, TestPeers.NewPeerId(), 6881, 0), 2));
        Assert.Equal(new SwarmAnswer(1, 1), await driver.AnnounceAsync(primary, overUdp: false, new ClusterPeer(hash, TestPeers.NewPeerId(), 6882, 10), 2));
        Assert.Equal(new SwarmAnswer(1, 2), await driver.AnnounceAsync(secondary, overUdp: false, new ClusterPeer(hash, TestPeers.NewPeerId(), 6883, 10), 2));

        // A frontend-only process on the primary's gateway joins the same swarms and key.
        await using (var frontend = await TrackerProcess.StartAsync(FrontendConfig(primary.Ports.Gateway)))
        {
            Assert.Equal(new SwarmAnswer(1, 3), await driver.AnnounceAsync(frontend, overUdp: true, new ClusterPeer(hash, TestPeers.NewPeerId(), 6884, 10), 2));
            Assert.Equal(0, await frontend.StopAsync(TimeSpan.FromSeconds(30)));
            frontend.DeleteDirectory();
        }

        Assert.Equal(0, await secondary.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await primary.StopAsync(TimeSpan.FromSeconds(30)));
        primary.DeleteDirectory();
        secondary.DeleteDirectory();
    }
}
