using IncodeSlices.Infrastructure.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IncodeSlices.Infrastructure.Http;

public static class UnknownRoutes
{
    /// <summary>
    /// Unknown routes and unsupported methods answer as Express does in the Node sample; ASP.NET Core
    /// would answer an empty 404, or a 405 for a known path, which the frontends and scripts expect
    /// neither of. Runs after routing has picked an endpoint.
    /// </summary>
    public static IApplicationBuilder UseUnknownRoutesAsNotFound(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var endpoint = context.GetEndpoint();
        var methods = endpoint?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return endpoint?.RequestDelegate is not null && methods is not null && methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
            ? next(context)
            : ErrorAnswers.WriteNotFoundAsync(context);
    });
}
