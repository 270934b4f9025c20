using OrleansTracker.Frontends.Admin;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Hosting;

internal static class AdminSetup
{
    public static AdminApiOptions Options(HttpApiConfig api) => new()
    {
        Tokens = api.AccessTokens.Values.ToArray(),
        AllowedHosts = api.AllowedHosts,
    };
}
