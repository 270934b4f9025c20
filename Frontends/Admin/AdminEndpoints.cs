using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Listeners;
using OrleansTracker.Frontends.Statistics;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// Routes of the admin REST API (Torrust v1). They answer only on the API's own listener
/// (<see cref="ListenerRoles"/>). Every route but the health check needs a token.
/// A malformed value is a 400 with <c>{"error": "…"}</c>; a failing grain call a 503.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder adminRoutes, AdminApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(adminRoutes);
        ArgumentNullException.ThrowIfNull(options);
        var services = adminRoutes.ServiceProvider;
        var routes = adminRoutes.MapGroup("").RequireListener(ListenerRole.AdminApi);
        var guard = new AdminGuard(options, services.GetRequiredService<ILogger<AdminGuard>>());
        var access = ActivatorUtilities.CreateInstance<AccessEndpoints>(services);
        var reader = ActivatorUtilities.CreateInstance<StatisticsReader>(services);
        var stats = new StatsEndpoints(reader, services.GetRequiredService<TrackerStatistics>(), services.GetService<RoutingCounters>() ?? new RoutingCounters());
        var torrents = new TorrentEndpoints(services.GetRequiredService<IGrainFactory>(), ActivatorUtilities.CreateInstance<TorrentPager>(services));

        routes.MapGet("/api/health_check", guard.Open(context =>
            AdminResponses.Json(context, new StatusJson("Ok"), AdminJsonContext.Default.StatusJson)));
        routes.MapGet("/api/openapi.json", guard.Open(OpenApiDocument.Serve));

        routes.MapGet("/api/v1/stats", guard.Protected(stats.Stats));
        routes.MapGet("/api/v1/metrics", guard.Protected(stats.Stats));
        routes.MapGet("/api/v1/torrent/{info_hash}", guard.Protected(torrents.Torrent));
        routes.MapGet("/api/v1/torrents", guard.Protected(torrents.Torrents));

        routes.MapPost("/api/v1/whitelist/{info_hash}", guard.Protected(access.AddToWhitelist));
        routes.MapDelete("/api/v1/whitelist/{info_hash}", guard.Protected(access.RemoveFromWhitelist));
        routes.MapGet("/api/v1/whitelist/reload", guard.Protected(access.ReloadWhitelist));
        routes.MapGet("/api/v1/whitelist", guard.Protected(access.ListWhitelist));

        routes.MapPost("/api/v1/keys", guard.Protected(access.AddKey));
        routes.MapGet("/api/v1/keys", guard.Protected(access.ListKeys));
        routes.MapGet("/api/v1/keys/reload", guard.Protected(access.ReloadKeys));
        routes.MapPost("/api/v1/key/{seconds_valid}", guard.Protected(access.GenerateKey));
        routes.MapDelete("/api/v1/key/{key}", guard.Protected(access.DeleteKey));
        return adminRoutes;
    }
}
