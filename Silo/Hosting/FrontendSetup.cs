using OrleansTracker.Frontends.Tracking;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Hosting;

internal static class FrontendSetup
{
    public static FrontendOptions From(TrackerConfig config) => new()
    {
        AnnounceIntervalSeconds = (int)config.AnnounceInterval.TotalSeconds,
        AnnounceIntervalMinSeconds = (int)config.AnnounceIntervalMin.TotalSeconds,
        ExternalIp = config.ExternalIp,
        OnReverseProxy = config.OnReverseProxy,
        MaxScrapeHashes = config.MaxScrapeHashes,
        MaxNumWant = config.MaxNumwant,
    };
}
