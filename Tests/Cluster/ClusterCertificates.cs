using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// PEM files for a TLS cluster, made at test time: a private CA, one node certificate it signed
/// (every silo and frontend uses it, as a small deployment would), and a self-signed certificate of
/// the same name that the CA never signed (what an outsider could make).
/// </summary>
internal sealed record ClusterCertificates(string CaPath, string NodeCertPath, string NodeKeyPath, string RogueCertPath, string RogueKeyPath)
{
    public static ClusterCertificates WriteTo(string directory)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=tracker cluster test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var nodeKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var node = LeafRequest(nodeKey).Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        using var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rogue = LeafRequest(rogueKey).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29));

        var files = new ClusterCertificates(
            Path.Combine(directory, "cluster-ca.crt"), Path.Combine(directory, "node.crt"), Path.Combine(directory, "node.key"),
            Path.Combine(directory, "rogue.crt"), Path.Combine(directory, "rogue.key"));
        File.WriteAllText(files.CaPath, ca.ExportCertificatePem());
        File.WriteAllText(files.NodeCertPath, node.ExportCertificatePem());
        File.WriteAllText(files.NodeKeyPath, nodeKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(files.RogueCertPath, rogue.ExportCertificatePem());
        File.WriteAllText(files.RogueKeyPath, rogueKey.ExportPkcs8PrivateKeyPem());
        return files;
    }

    /// <summary>The [cluster] lines that turn TLS on with the node certificate.</summary>
    public string ClusterToml => $"tls_cert_path = \"{NodeCertPath}\"\ntls_key_path = \"{NodeKeyPath}\"\ntls_ca_path = \"{CaPath}\"\n";

    /// <summary>Both roles in one certificate: silos connect to each other as clients and servers.</summary>
    private static CertificateRequest LeafRequest(ECDsa key)
    {
        var request = new CertificateRequest("CN=tracker-node", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request;
    }
}
