using Microsoft.AspNetCore.Http;
using OrleansTracker.Frontends.Statistics;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// GET /api/v1/stats and GET /api/v1/metrics: JSON by default, Prometheus text with
/// <c>?format=prometheus</c>.
/// </summary>
internal sealed class StatsEndpoints(StatisticsReader reader, TrackerStatistics local, RoutingCounters routing)
{
    public async Task Stats(HttpContext context)
    {
        var prometheus = WantsPrometheus(context);
        var (swarms, requests) = await reader.Read();
        if (!prometheus)
        {
            await AdminResponses.Json(context, StatsJson.From(swarms, requests, routing.Snapshot()), AdminJsonContext.Default.StatsJson);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = PrometheusText.ContentType;
        await context.Response.WriteAsync(PrometheusText.Write(swarms, requests, local, routing.Snapshot()), context.RequestAborted);
    }

    private static bool WantsPrometheus(HttpContext context)
    {
        var format = context.Request.Query["format"];
        if (format.Count == 0)
            return false;
        return format[^1] switch
        {
            "prometheus" => true,
            "json" => false,
            var other => throw new AdminRequestException($"invalid format '{other}': expected json or prometheus"),
        };
    }
}
