using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;
using OrleansTracker.Frontends.Listeners;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// The Orleans dashboard on its own [dashboard] bind_address. Off by default, and then nothing of
/// it is registered (no grain-call filter, no listener). On, it is tuned for a tracker whose hot
/// path is one grain call per announce; docs/benchmarks.md has the measured cost.
/// </summary>
internal static class DashboardSetup
{
    public static void Configure(ISiloBuilder silo)
    {
        silo.AddDashboard(o =>
        {
            // Counters every 5 s instead of every second: the dashboard's own polling of every
            // silo's grain statistics is the part that scales with the cluster, not the announces.
            o.CounterUpdateIntervalMs = 5000;
            // No live log streaming endpoint: it would hook the logging pipeline of the silo.
            o.HideTrace = true;
        });
        // The per-call profiler runs only while someone views the dashboard (and a minute after),
        // so an unwatched dashboard costs a flag check per grain call.
        silo.Services.Configure<GrainProfilerOptions>(o =>
        {
            o.TraceAlways = false;
            o.DeactivationTime = TimeSpan.FromMinutes(1);
        });
    }

    /// <summary>Maps the dashboard at the root of its own listener (<see cref="ListenerRoles"/>).</summary>
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapOrleansDashboard().RequireListener(ListenerRole.Dashboard);
}
