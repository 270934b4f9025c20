using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansTracker.Frontends.Listeners;

namespace OrleansTracker.Frontends.Http;

/// <summary>Routes of the HTTP(S) tracker: BEP 3 announce and scrape, with and without a key in the path.</summary>
public static class HttpTrackerEndpoints
{
    /// <summary>Maps the tracker routes, answered on the tracker's own listeners only (<see cref="ListenerRoles"/>).</summary>
    public static IEndpointRouteBuilder MapTrackerEndpoints(this IEndpointRouteBuilder routes)
    {
        var handler = routes.ServiceProvider.GetRequiredService<HttpTrackerHandler>();
        var tracker = routes.MapGroup("").RequireListener(ListenerRole.Tracker);
        tracker.Map("/announce", context => handler.Announce(context, null));
        tracker.Map("/announce/{key}", context => handler.Announce(context, Key(context)));
        tracker.Map("/scrape", context => handler.Scrape(context, null));
        tracker.Map("/scrape/{key}", context => handler.Scrape(context, Key(context)));
        return routes;
    }

    private static string? Key(HttpContext context) => context.Request.RouteValues["key"] as string;
}
