using System.Net;

namespace OrleansTracker.Silo.Config;

/// <summary>The <c>[dashboard]</c> section: the Orleans dashboard web UI.</summary>
public sealed class DashboardConfig
{
    /// <summary><c>enabled</c>: whether the dashboard starts.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>bind_address</c>: address and port of the dashboard.</summary>
    public IPEndPoint BindAddress { get; init; } = new(IPAddress.Loopback, 8080);
}
