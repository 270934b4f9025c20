using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Frontends.Admin;

/// <summary>What every admin route does around its handler: token check and error mapping.</summary>
internal sealed class AdminGuard(AdminApiOptions options, ILogger<AdminGuard> logger)
{
    private readonly AdminTokens _tokens = new(options.Tokens);

    /// <summary>A route without a token (the health check).</summary>
    public RequestDelegate Open(RequestDelegate handler) => context => Run(context, handler);

    public RequestDelegate Protected(RequestDelegate handler) => context =>
    {
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
        catch (Exception e) when (e is AdminRequestException or ArgumentException && !context.Response.HasStarted)
        {
            // ArgumentException: the key grain refuses a malformed key or duration itself.
            await AdminResponses.Error(context, StatusCodes.Status400BadRequest, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            logger.LogDebug(e, "admin request {Path} failed", context.Request.Path);
            await AdminResponses.Error(context, StatusCodes.Status503ServiceUnavailable, "the tracker could not answer this request now; try again");
        }
    }
}
