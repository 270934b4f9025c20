using OrleansTracker.Frontends.Client;
using OrleansTracker.Frontends.Udp;

namespace OrleansTracker.Frontends.Health;

/// <summary>A UDP tracker listener answers a BEP 15 connect (the same path a client's first packet takes).</summary>
public sealed class UdpListenerCheck(UdpTrackerListener listener, System.Net.IPEndPoint configured) : IHealthCheck
{
    public string ServiceType => "udp_tracker";

    public string Binding => ProbeAddress.Text(listener.LocalEndPoint ?? configured);

    public string ServiceBinding => $"udp://{Binding}";

    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        var bound = listener.LocalEndPoint ?? throw new InvalidOperationException("not listening");
        using var session = UdpTrackerSession.Open(ProbeAddress.Of(bound), HealthCheckRunner.CheckTimeout / 2);
        await session.ConnectAsync(cancellationToken);
        return "Connected";
    }
}
