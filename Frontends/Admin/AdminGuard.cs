using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Frontends.Admin;

/// <summary>What every admin route does around its handler: Host and Origin rules, token check, error mapping.</summary>
internal sealed class AdminGuard(AdminApiOptions options, ILogger<AdminGuard> logger)
{
    private readonly AdminTokens _tokens = new(options.Tokens);
    private readonly AdminOrigins _origins = new(options.AllowedHosts);

    /// <summary>A route without a token (the health check).</summary>
    public RequestDelegate Open(RequestDelegate handler) => context =>
        _origins.Refusal(context) is { } refusal ? AdminResponses.Error(context, StatusCodes.Status403Forbidden, refusal) : Run(context, handler);

    public RequestDelegate Protected(RequestDelegate handler) => context =>
    {
        if (_origins.Refusal(context) is { } refusal)
            return AdminResponses.Error(context, StatusCodes.Status403Forbidden, refusal);
        switch (_tokens.Check(context.Request))
        {
            case TokenCheck.Missing:
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return AdminResponses.Error(context, StatusCodes.Status401Unauthorized, "missing token: add ?token=… or an Authorization: Bearer header");
            case TokenCheck.Wrong:
                return AdminResponses.Error(context, StatusCodes.Status403Forbidden, "the token is not valid");
            default:
                return Run(context, handler);
        }
    };

    private async Task Run(HttpContext context, RequestDelegate handler)
    {
        try
        {
            await handler(context);
        }
        catch (AdminRequestException e) when (!context.Response.HasStarted)
        {
            await AdminResponses.Error(context, e.Status, e.Message);
        }
        catch (ArgumentException e) when (!context.Response.HasStarted)
        {
            // The key grain refuses a malformed key or duration itself.
            await AdminResponses.Error(context, StatusCodes.Status400BadRequest, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            logger.LogDebug(e, "admin request {Path} failed", context.Request.Path);
            await AdminResponses.Error(context, StatusCodes.Status503ServiceUnavailable, "the tracker could not answer this request now; try again");
        }
    }
}
