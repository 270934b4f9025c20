using System.Net;
using System.Net.Sockets;
using Orleans.Hosting;
using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// Issue 21 part 4: a cluster with [cluster] tls_* (mutual TLS, private CA) on MariaDB membership.
/// Silos and a frontend process work together through TLS; an Orleans client that reaches the
/// gateway port without a certificate of the cluster's CA cannot call grains; one with it can (so
/// the refusals are about the certificate). The ports listen on advertised_ip only.
/// </summary>
public sealed class ClusterTlsTests(ITestOutputHelper output) : IDisposable
{
    private readonly MariaDbServer _database = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("cluster-tls-").FullName;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [MariaDbFact]
    public async Task silos_and_a_frontend_talk_over_mutual_tls_and_a_client_without_the_cluster_certificate_is_refused()
    {
        var certificates = ClusterCertificates.WriteTo(_directory);
        await using var cluster = new ProcessCluster(_database, output, clusterToml: certificates.ClusterToml);
        await cluster.StartAsync(silos: 2, frontends: 1);
        var (silo0, silo1, frontend) = (cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2]);

        // One swarm through all three nodes: silo to silo and frontend to gateway go over TLS.
        using var driver = new SwarmDriver();
        await driver.ShareConnectionIdFromAsync(silo0);
        var hash = TestPeers.NewInfoHash();
        Assert.Equal(new SwarmAnswer(1, 0), await driver.AnnounceSurelyAsync(frontend, overUdp: true, new ClusterPeer(hash, TestPeers.NewPeerId(), 6881, 0), 2));
        Assert.Equal(new SwarmAnswer(1, 1), await driver.AnnounceSurelyAsync(silo1, overUdp: false, new ClusterPeer(hash, TestPeers.NewPeerId(), 6882, 10), 2));
        Assert.Equal(new SwarmAnswer(1, 2), await driver.AnnounceSurelyAsync(silo0, overUdp: true, new ClusterPeer(hash, TestPeers.NewPeerId(), 6883, 10), 2));

        // Refused: no TLS at all, and TLS with a certificate the cluster's CA did not sign.
        var plain = await Record.ExceptionAsync(() => OutsideClient.ConnectAsync(silo0.Ports.Gateway, "test-cluster"));
        output.WriteLine($"client without TLS: {plain?.GetType().Name}: {plain?.Message}");
        Assert.NotNull(plain);
        var rogue = await Record.ExceptionAsync(() => OutsideClient.ConnectAsync(silo0.Ports.Gateway, "test-cluster",
            client => client.UseTls(options =>
            {
                options.LocalCertificate = Silo.Hosting.TrackerHost.LoadCertificate(certificates.RogueCertPath, certificates.RogueKeyPath);
                options.AllowAnyRemoteCertificate();
            })));
        output.WriteLine($"client with a self-signed certificate: {rogue?.GetType().Name}: {rogue?.Message}");
        Assert.NotNull(rogue);

        // Accepted with the cluster's certificate: the same client code reaches the grains.
        await using (var member = await OutsideClient.ConnectAsync(silo0.Ports.Gateway, "test-cluster",
            client => client.UseTls(options =>
            {
                options.LocalCertificate = Silo.Hosting.TrackerHost.LoadCertificate(certificates.NodeCertPath, certificates.NodeKeyPath);
                options.AllowAnyRemoteCertificate();
            })))
        {
            Assert.True((await member.TorrentActivationsBySiloPortAsync()).Values.Sum() >= 1);
        }

        // advertised_ip = 127.0.0.1: the silo port listens there only, not on every address of the host.
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var error = await Assert.ThrowsAsync<SocketException>(() => other.ConnectAsync(new IPEndPoint(IPAddress.Parse("127.0.0.2"), silo0.Ports.Silo)));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }
}
