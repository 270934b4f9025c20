using OrleansTracker.Silo.Config;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>A wrong PEM file stops the start at config time, naming the key, not inside Kestrel.</summary>
public sealed class CertificateConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orleans-tracker-pem-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TrackerConfig Load(string cert, string key) => ConfigLoader.LoadFromText($"""
        [[http_trackers]]
        ssl_enabled = true
        ssl_cert_path = "{cert}"
        ssl_key_path = "{key}"
        """, "config.toml", File.Exists);

    [Fact]
    public void a_matching_pair_is_accepted()
    {
        var (cert, key) = TestCertificate.WritePem(_directory);
        Assert.True(Load(cert, key).HttpTrackers[0].SslEnabled);
    }

    [Fact]
    public void a_key_of_another_certificate_names_ssl_key_path()
    {
        var (cert, _) = TestCertificate.WritePem(_directory);
        var other = Directory.CreateDirectory(Path.Combine(_directory, "other")).FullName;
        var (_, otherKey) = TestCertificate.WritePem(other);
        var error = Assert.Throws<ConfigException>(() => Load(cert, otherKey));
        Assert.Contains("http_trackers[0].ssl_key_path", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a PEM private key matching the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_file_that_is_no_certificate_names_ssl_cert_path()
    {
        var (_, key) = TestCertificate.WritePem(_directory);
        var garbage = Path.Combine(_directory, "garbage.pem");
        File.WriteAllText(garbage, "this is not a certificate\n");
        var error = Assert.Throws<ConfigException>(() => Load(garbage, key));
        Assert.Contains("http_trackers[0].ssl_cert_path", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable PEM certificate", error.Message, StringComparison.Ordinal);
    }
}
