using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>
/// Every POST body is JSON, whatever its Content-Type says: the Incode browser samples send
/// <c>fetch(url, {method: 'POST', body: JSON.stringify(x)})</c>, i.e. <c>text/plain;charset=UTF-8</c>,
/// and FastEndpoints would answer those 415. The body is read once (up to the size limit), must be
/// a JSON object, and is handed on as <c>application/json</c>. The one exception is an endpoint
/// marked <see cref="AcceptsFormBody{TBuilder}"/>: its body, under the same limit, is handed on as sent.
/// </summary>
public static class JsonBodies
{
    /// <summary>Before routing: a POST is declared JSON whatever it says, so that routing matches it (or answers 415).</summary>
    public static IApplicationBuilder UseJsonPostBodies(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            // Which endpoint the request is for is known only after routing: until then, keep what was said.
            context.Features.Set(new SentContentType(context.Request.ContentType));
            context.Request.ContentType = "application/json; charset=utf-8";
        }
        return next(context);
    });

    /// <summary>After routing and authentication: the body is read, checked and handed on.</summary>
    public static IApplicationBuilder UseJsonBodyReader(this IApplicationBuilder app) => app.UseMiddleware<JsonBodyMiddleware>();

    /// <summary>
    /// The route reads a form, not JSON (OAuth's token request is <c>application/x-www-form-urlencoded</c>):
    /// its body keeps the Content-Type it was sent with, and is not parsed here.
    /// </summary>
    public static TBuilder AcceptsFormBody<TBuilder>(this TBuilder route) where TBuilder : IEndpointConventionBuilder =>
        route.WithMetadata(FormBody.Instance);
}
