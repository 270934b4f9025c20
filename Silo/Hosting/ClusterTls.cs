using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Hosting;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// Mutual TLS on the silo and gateway ports (<c>[cluster]</c> tls_*). Without it anyone who reaches
/// TCP silo_port or gateway_port can call grains directly: edit the whitelist, read and add keys,
/// set completed counts. With it every connection, silo to silo and frontend to gateway, needs a
/// certificate that chains to tls_ca_path; one without is refused during the handshake, before any
/// Orleans message is read.
/// </summary>
internal static class ClusterTls
{
    public static void ConfigureSilo(ISiloBuilder silo, ClusterConfig cluster)
    {
        if (cluster.Tls is { } files)
            silo.UseTls(options => Fill(options, files));
    }

    public static void ConfigureClient(IClientBuilder client, ClusterConfig cluster)
    {
        if (cluster.Tls is { } files)
            client.UseTls(options => Fill(options, files));
    }

    private static void Fill(TlsOptions options, ClusterTlsFiles files)
    {
        options.LocalCertificate = TrackerHost.LoadCertificate(files.CertPath, files.KeyPath);
        // Both directions present a certificate and both check the other's (Orleans requires the
        // client's by default on inbound connections; said here so it never silently changes).
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(files.CaPath);
        if (anchors.Count == 0)
            throw new InvalidOperationException($"cluster.tls_ca_path: '{files.CaPath}' holds no PEM certificate");
        // Silos are reached by IP address, which certificates rarely name: trust is the chain to our
        // own CA (or the shared self-signed certificate itself), not the system store or the name.
        options.RemoteCertificateValidation = (certificate, _, _) => ChainsTo(certificate, anchors);
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection anchors)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        // A private cluster CA publishes no revocation list; rotate by replacing the CA file.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
