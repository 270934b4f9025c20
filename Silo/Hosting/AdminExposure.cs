using System.Net;
using Microsoft.Extensions.Logging;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// The admin API takes its token in the query string or an Authorization header and hands out
/// tracker keys: over plain HTTP on a non-loopback address both cross the network readable.
/// Allowed (behind a TLS proxy on a private network it can be right), but never silently.
/// </summary>
internal static class AdminExposure
{
    public static bool IsExposedWithoutTls(HttpApiConfig api) =>
        api.Enabled && !api.SslEnabled && !IPAddress.IsLoopback(api.BindAddress.Address);

    public static void WarnIfExposed(HttpApiConfig api, ILogger logger)
    {
        if (IsExposedWithoutTls(api))
            logger.LogWarning("The admin API listens on {Endpoint}, which is not a loopback address, without TLS: access tokens and the keys it returns cross the network in clear text. Set ssl_enabled = true with a certificate in [http_api], or bind it to 127.0.0.1 and reach it through a TLS proxy", api.BindAddress);
    }
}
