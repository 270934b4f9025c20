using Microsoft.AspNetCore.Http;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// GET /api/openapi.json: the hand-written OpenAPI 3.0 document of the admin API, embedded in the
/// binary. Hand-written because the routes are plain request delegates with hand-made 400s, which
/// an endpoint-metadata generator cannot describe; a test checks it against the live routes.
/// </summary>
internal static class OpenApiDocument
{
    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("admin-openapi.json")
            ?? throw new InvalidOperationException("the OpenAPI document is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static Task Serve(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Bytes.Value, context.RequestAborted).AsTask();
    }
}
