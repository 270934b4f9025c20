using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansTracker.Frontends.Http;

/// <summary>Routes of the HTTP(S) tracker: BEP 3 announce and scrape, with and without a key in the path.</summary>
public static class HttpTrackerEndpoints
{
    /// <summary>
    /// Maps the tracker routes for connections arriving on <paramref name="localPorts"/> only, so
    /// the admin API and dashboard ports never answer announces. The local port is used rather than
    /// the Host header, which a reverse proxy rewrites and a client controls.
    /// </summary>
    public static IEndpointRouteBuilder MapTrackerEndpoints(this IEndpointRouteBuilder routes, IReadOnlySet<int> localPorts)
    {
        var handler = routes.ServiceProvider.GetRequiredService<HttpTrackerHandler>();
        routes.Map("/announce", Only(localPorts, context => handler.Announce(context, null)));
        routes.Map("/announce/{key}", Only(localPorts, context => handler.Announce(context, Key(context))));
        routes.Map("/scrape", Only(localPorts, context => handler.Scrape(context, null)));
        routes.Map("/scrape/{key}", Only(localPorts, context => handler.Scrape(context, Key(context))));
        return routes;
    }

    private static string? Key(HttpContext context) => context.Request.RouteValues["key"] as string;

    private static RequestDelegate Only(IReadOnlySet<int> localPorts, RequestDelegate next) => context =>
    {
        if (localPorts.Contains(context.Connection.LocalPort))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };
}
