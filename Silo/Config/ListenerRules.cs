using System.Globalization;
using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>A socket a section opens when <see cref="Enabled"/>, declared by its <see cref="IListening"/>.</summary>
/// <param name="Key">The key holding <see cref="EndPoint"/>, in the section that declares the listener.</param>
internal readonly record struct Listener(SocketRole Role, string Key, bool Enabled, IPEndPoint EndPoint);

/// <summary>What a configured socket serves, for the checks between listeners (one TCP port, one role). Every
/// role but UDP is TCP; the HTTP pipeline tells the roles apart by the listener a connection came through
/// (Frontends/Listeners).</summary>
internal enum SocketRole
{
    UdpTracker,
    HttpTracker,
    HttpsTracker,
    AdminApi,
    Dashboard,
    WsTracker,
    WssTracker,
    HealthCheckApi,
}

/// <summary>A section that opens sockets; <see cref="ListenerRules"/> checks them all together.</summary>
internal interface IListening
{
    IEnumerable<Listener> Listeners { get; }
}

/// <summary>
/// The sockets of all sections together: two enabled listeners of one protocol on one address:port
/// cannot both bind; a TCP port serves one role only, whatever the addresses (an HTTP tracker on
/// 203.0.113.5:1212 would otherwise be answered as the admin API on 127.0.0.1:1212); and a TCP port is
/// never 0, which binds a port nobody configured a role for. A clash is reported on the key the file
/// sets, and on the later one when both are set. UDP port 0 (any free port) is allowed and never clashes.
/// </summary>
internal static class ListenerRules
{
    public static void Check(ConfigChecks checks)
    {
        var open = new List<(object Section, Listener Listener)>();
        foreach (var section in checks.Sections)
        {
            if (section is not IListening listening)
                continue;
            foreach (var listener in listening.Listeners.Where(l => l.Enabled))
            {
                if (IsTcp(listener) && listener.EndPoint.Port == 0)
                {
                    throw checks.Error(section, listener.Key,
                        $"port 0 (any free port) cannot be used by the {Describe(listener.Role)}: HTTP requests are told apart by the port they arrive on, so give it a port of its own");
                }
                foreach (var earlier in open.Where(o => IsTcp(o.Listener) == IsTcp(listener) && o.Listener.EndPoint.Port == listener.EndPoint.Port))
                    RejectClash(checks, earlier, (section, listener));
                open.Add((section, listener));
            }
        }
    }

    private static void RejectClash(ConfigChecks checks, (object Section, Listener Listener) earlier, (object Section, Listener Listener) later)
    {
        var sameEndPoint = earlier.Listener.EndPoint.Equals(later.Listener.EndPoint);
        if (later.Listener.EndPoint.Port == 0 || (!sameEndPoint && earlier.Listener.Role == later.Listener.Role))
            return;
        var (blamed, other) = checks.IsSet(later.Section, later.Listener.Key) || !checks.IsSet(earlier.Section, earlier.Listener.Key)
            ? (later, earlier)
            : (earlier, later);
        var otherKey = checks.KeyPath(other.Section, other.Listener.Key);
        var problem = sameEndPoint
            ? $"{ConfigValues.FormatEndPoint(blamed.Listener.EndPoint)} is already used by {otherKey}"
            : string.Create(CultureInfo.InvariantCulture,
                $"port {blamed.Listener.EndPoint.Port} is already used by {otherKey} ({ConfigValues.FormatEndPoint(other.Listener.EndPoint)}, the {Describe(other.Listener.Role)}); "
                + $"the {Describe(blamed.Listener.Role)} needs a port of its own: HTTP requests are told apart by the port they arrive on");
        throw checks.Error(blamed.Section, blamed.Listener.Key, problem);
    }

    private static bool IsTcp(Listener listener) => listener.Role != SocketRole.UdpTracker;

    private static string Describe(SocketRole role) => role switch
    {
        SocketRole.UdpTracker => "UDP tracker",
        SocketRole.HttpTracker => "HTTP tracker",
        SocketRole.HttpsTracker => "HTTPS tracker",
        SocketRole.AdminApi => "admin API",
        SocketRole.WsTracker => "WebSocket tracker",
        SocketRole.WssTracker => "WebSocket (TLS) tracker",
        SocketRole.HealthCheckApi => "health-check API",
        _ => "dashboard",
    };
}
