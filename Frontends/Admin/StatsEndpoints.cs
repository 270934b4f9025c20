using Microsoft.AspNetCore.Http;

namespace OrleansTracker.Frontends.Admin;

/// <summary>GET /api/v1/stats (JSON, or Prometheus text with <c>?format=prometheus</c>).</summary>
internal sealed class StatsEndpoints(StatisticsReader reader)
{
    public async Task Stats(HttpContext context)
    {
        var (swarms, requests) = await reader.Read();
        await AdminResponses.Json(context, StatsJson.From(swarms, requests), AdminJsonContext.Default.StatsJson);
    }
}
