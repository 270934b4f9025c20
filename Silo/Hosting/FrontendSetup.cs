using OrleansTracker.Frontends;
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
        RequireKey = config.Mode is TrackerMode.Private or TrackerMode.PrivateListed,
        RequireWhitelist = config.Mode is TrackerMode.Listed or TrackerMode.PrivateListed,
        BadConnectionIdLimit = config.Limits.UdpBadConnectionIds,
        BadConnectionIdWindow = config.Limits.UdpBadConnectionIdWindow,
        UdpMaxInFlight = config.Limits.UdpMaxInFlight,
        UdpBatchedSyscalls = config.UdpBatchedSyscalls,
        AnnouncesPerAddressPerMinute = config.Limits.AnnouncesPerAddressPerMinute,
    };
}
