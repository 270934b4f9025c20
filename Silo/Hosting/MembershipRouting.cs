using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using OrleansTracker.Frontends.Routing;
using OrleansTracker.Grains.Routing;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// Keeps the frontends' owner ring in step with the cluster membership: every new membership
/// snapshot (a silo joined, left or was declared dead) rebuilds it from the active silos.
/// </summary>
internal sealed class MembershipRouting(IClusterMembershipService membership, ILocalSiloDetails local, TorrentRouting routing) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var localEndpoint = SiloEndpoints.Of(local.SiloAddress);
        Apply(membership.CurrentSnapshot, localEndpoint);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
                Apply(snapshot, localEndpoint);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Apply(ClusterMembershipSnapshot snapshot, string localEndpoint)
    {
        var active = snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => SiloEndpoints.Of(m.SiloAddress))
            .ToList();
        routing.Update(active, localEndpoint);
    }
}
