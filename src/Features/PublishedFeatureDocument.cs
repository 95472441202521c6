using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Features;

/// <summary>
/// The OpenAPI document in the published server. Its generator (NSwag, through FastEndpoints.Swagger)
/// reflects over the endpoints and compiles code at run time, which a native executable cannot do; so
/// the document the JIT server generates is kept in the repository (<c>src/Host/openapi.json</c>,
/// which a test holds equal to what the endpoints generate) and served from beside the executable.
/// Swagger UI is the development server's (<c>dotnet run</c>): its page and scripts are NSwag's.
/// </summary>
internal static class PublishedFeatureDocument
{
    public const string FileName = "openapi.json";

    public static IApplicationBuilder UsePublishedFeatureDocument(this IApplicationBuilder app)
    {
        var document = new Lazy<byte[]?>(() =>
        {
            var path = Path.Combine(AppContext.BaseDirectory, FileName);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        });
        return app.Use(next => context =>
        {
            var path = context.Request.Path;
            if (path.Equals("/swagger/v1/swagger.json") && document.Value is { } bytes)
            {
                context.Response.ContentType = "application/json; charset=utf-8";
                return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
            }
            if (path.Equals("/swagger") || path.Equals("/swagger/") || path.Equals("/swagger/index.html"))
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                return context.Response.WriteAsync(Page, context.RequestAborted);
            }
            return next(context);
        });
    }

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>IncodeSlices API</title></head>
        <body><h1>IncodeSlices</h1>
        <p>The OpenAPI document: <a href="/swagger/v1/swagger.json">/swagger/v1/swagger.json</a>.
        Swagger UI is served by the development server (<code>dotnet run --project src/Host</code>).</p>
        </body></html>
        """;
}
