using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansTracker.Silo.Config;

/// <summary>The <c>ssl_cert_path</c> and <c>ssl_key_path</c> of a section that serves HTTPS: both set, both
/// there, and a certificate with its own key.</summary>
internal static class CertificateRules
{
    public static void Check(ConfigChecks checks, object section, string? cert, string? key)
    {
        CheckFile(checks, section, "ssl_cert_path", cert, "PEM certificate");
        CheckFile(checks, section, "ssl_key_path", key, "PEM private key");
        CheckPemPair(checks, section, cert!, key!);
    }

    private static void CheckFile(ConfigChecks checks, object section, string key, string? path, string what)
    {
        if (path is null)
            throw checks.Error(section, key, $"is required when ssl_enabled = true (path of the {what} file)", "ssl_enabled");
        if (!checks.FileExists(path))
            throw checks.Error(section, key, $"the {what} file '{path}' does not exist");
    }

    /// <summary>
    /// Loads the pair once so a wrong file or a key of another certificate stops the start with
    /// the key named, instead of failing inside Kestrel with a stack trace.
    /// </summary>
    private static void CheckPemPair(ConfigChecks checks, object section, string cert, string key)
    {
        if (!File.Exists(cert) || !File.Exists(key))
            return; // only a file-existence check was asked for (tests inject it)
        try
        {
            using var alone = X509Certificate2.CreateFromPem(File.ReadAllText(cert));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw checks.Error(section, "ssl_cert_path", $"'{cert}' is not a readable PEM certificate ({e.Message})");
        }
        try
        {
            using var pair = X509Certificate2.CreateFromPemFile(cert, key);
        }
        // A key of another certificate is an ArgumentException ("does not match the public key").
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw checks.Error(section, "ssl_key_path", $"'{key}' is not a PEM private key matching the certificate in ssl_cert_path ({e.Message})");
        }
    }
}
