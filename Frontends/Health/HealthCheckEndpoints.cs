using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansTracker.Frontends.Listeners;

namespace OrleansTracker.Frontends.Health;

/// <summary>
/// <c>GET /health_check</c> on the health-check API's own listener (Torrust's port 1313): no token,
/// nothing else on that port. 200 when the status is "Ok" or "None", 503 when it is "Error", so an
/// HTTP probe (a kubelet's) fails without reading the body; the body is the same either way.
/// </summary>
public static class HealthCheckEndpoints
{
    public static IEndpointRouteBuilder MapHealthCheck(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var runner = routes.ServiceProvider.GetRequiredService<HealthCheckRunner>();
        routes.MapGet("/health_check", async context =>
        {
            var report = await runner.RunAsync();
            context.Response.StatusCode = report.Status == "Error" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(report, HealthJsonContext.Default.HealthReportJson, "application/json", context.RequestAborted);
        }).RequireListener(ListenerRole.HealthCheckApi);
        return routes;
    }
}
