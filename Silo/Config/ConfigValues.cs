using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Silo.Config;

/// <summary>The names and textual forms of config values, shared by the loader and the printer.</summary>
internal static class ConfigValues
{
    public const string EndPointShape = "an address:port such as 0.0.0.0:6969 or [::]:6969";

    /// <summary>The names a <see cref="KeyKind.Choice"/> key of each enum type is written with.</summary>
    private static readonly Dictionary<Type, (string Name, object Value)[]> Choices = new()
    {
        [typeof(LogLevel)] =
        [
            ("trace", LogLevel.Trace), ("debug", LogLevel.Debug), ("info", LogLevel.Information),
            ("warn", LogLevel.Warning), ("error", LogLevel.Error), ("critical", LogLevel.Critical), ("off", LogLevel.None),
        ],
        [typeof(LogFormat)] = [("text", LogFormat.Text), ("json", LogFormat.Json)],
        [typeof(TrackerMode)] =
        [
            ("public", TrackerMode.Public), ("listed", TrackerMode.Listed),
            ("private", TrackerMode.Private), ("private_listed", TrackerMode.PrivateListed),
        ],
        [typeof(DbDriver)] = [("sqlite3", DbDriver.Sqlite3), ("mysql", DbDriver.MySql)],
        [typeof(ClusterMode)] = [("localhost", ClusterMode.Localhost), ("adonet", ClusterMode.AdoNet)],
        [typeof(ClusterRole)] = [("silo", ClusterRole.Silo), ("frontend", ClusterRole.Frontend)],
    };

    public static IReadOnlyList<(string Name, object Value)> ChoicesFor(Type enumType) =>
        Choices.TryGetValue(enumType, out var choices)
            ? choices
            : throw new InvalidOperationException($"no config names for {enumType.Name}; add them to ConfigValues");

    public static string NameOf(Enum value) =>
        ChoicesFor(value.GetType()).FirstOrDefault(c => c.Value.Equals(value)).Name
        ?? throw new ArgumentOutOfRangeException(nameof(value), value, "no config name for this value");

    /// <summary>"a", "b", "c" for messages and the docs.</summary>
    public static string Allowed(IReadOnlyList<(string Name, object Value)> choices) =>
        string.Join(", ", choices.Select(c => $"\"{c.Name}\""));

    /// <summary>Strict <c>a.b.c.d:port</c> or <c>[v6]:port</c>; the port must be written (0 means "any free port").</summary>
    public static bool TryParseEndPoint(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
                return false;
            host = text[1..close];
            port = text[(close + 2)..];
            if (!host.Contains(':', StringComparison.Ordinal))
                return false;
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || colon != text.LastIndexOf(':'))
                return false;
            host = text[..colon];
            port = text[(colon + 1)..];
            if (!IsDottedQuad(host))
                return false;
        }
        if (!TryParseIp(host, out var address)
            || port.Length is 0 or > 5
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber)
            || portNumber > IPEndPoint.MaxPort)
        {
            return false;
        }
        endPoint = new IPEndPoint(address, portNumber);
        return true;
    }

    public static string FormatEndPoint(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{endPoint.Address}:{endPoint.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A dotted-quad IPv4 or an IPv6 address; unlike <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>,
    /// rejects shorthand such as <c>"1"</c> or <c>"1.2.3"</c>, which are almost always typos.</summary>
    public static bool TryParseIp(string text, out IPAddress address)
    {
        address = null!;
        if (!text.Contains(':', StringComparison.Ordinal) && !IsDottedQuad(text))
            return false;
        if (!IPAddress.TryParse(text, out var parsed))
            return false;
        address = parsed;
        return true;
    }

    /// <summary>True for a host:port with a non-empty host and a port in 1..65535 (the host may be a DNS name).</summary>
    public static bool IsHostAndPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
            return false;
        var host = text[..colon];
        if (host.StartsWith('[') != host.EndsWith(']'))
            return false;
        return int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= IPEndPoint.MaxPort
            && (host.StartsWith('[') || !host.Contains(':', StringComparison.Ordinal));
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        // Leading zeros are refused because the platform parser reads "010" as octal.
        return parts.Length == 4
            && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0'));
    }
}
