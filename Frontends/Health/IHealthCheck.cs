namespace OrleansTracker.Frontends.Health;

/// <summary>
/// One thing <c>GET /health_check</c> checks: a listener (UDP, HTTP(S), WebSocket) or the database. Registered in DI as <see cref="IHealthCheck"/>;
/// <see cref="HealthCheckRunner"/> runs every registered one.
/// </summary>
public interface IHealthCheck
{
    /// <summary>What is checked, e.g. <c>udp_tracker</c>, <c>http_tracker</c>, <c>database</c>.</summary>
    string ServiceType { get; }

    /// <summary>Where, as configured: an address:port, or the database's driver and file or server.</summary>
    string Binding { get; }

    /// <summary>The same as a URL a client would use (<c>udp://127.0.0.1:6969</c>), or the binding.</summary>
    string ServiceBinding { get; }

    /// <summary>Checks once; returns a short success text, throws on failure (the message is reported).</summary>
    Task<string> CheckAsync(CancellationToken cancellationToken);
}
