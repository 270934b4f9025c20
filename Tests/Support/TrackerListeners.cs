using System.Net;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Tests.Support;

/// <summary>
/// The TCP listeners a tracker's config enables (HTTP(S) and WebSocket trackers, admin API,
/// dashboard), as a test on this machine reaches them: Kestrel opens them after the UDP port, so a
/// tracker serves once each of them accepts.
/// </summary>
internal static class TrackerListeners
{
    public static IReadOnlyList<IPEndPoint> Tcp(string configPath)
    {
        var config = ConfigLoader.LoadFromText(File.ReadAllText(configPath), configPath, _ => true);
        var sections = config.HttpTrackers.Cast<IListening>().Concat(config.WsTrackers).Append(config.HttpApi).Append(config.Dashboard);
        return sections.SelectMany(s => s.Listeners)
            .Where(l => l.Enabled && l.Role != SocketRole.UdpTracker)
            .Select(l => Reachable(l.EndPoint))
            .ToList();
    }

    /// <summary>A wildcard bind is reached on the loopback address of its family.</summary>
    private static IPEndPoint Reachable(IPEndPoint bind) =>
        bind.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, bind.Port)
        : bind.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, bind.Port)
        : bind;

    /// <summary>The config file a tracker's arguments name (--config PATH), relative to its folder.</summary>
    public static string? ConfigPathIn(string directory, IReadOnlyList<string> arguments)
    {
        var at = arguments.ToList().IndexOf("--config");
        return at >= 0 && at + 1 < arguments.Count ? Path.Combine(directory, arguments[at + 1]) : null;
    }
}
