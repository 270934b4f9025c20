using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace OrleansTracker.Frontends.Admin;

internal static class AdminResponses
{
    public static readonly StatusJson Ok = new("ok");

    public static Task Json<T>(HttpContext context, T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(value, type, contentType: "application/json", context.RequestAborted);
    }

    public static Task Status(HttpContext context) => Json(context, Ok, AdminJsonContext.Default.StatusJson);

    public static Task Error(HttpContext context, int status, string message) =>
        Json(context, new ErrorJson(message), AdminJsonContext.Default.ErrorJson, status);
}
