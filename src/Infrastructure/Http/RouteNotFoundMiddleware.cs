using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>
/// Unknown routes and unsupported methods answer as Express does in the Node sample:
/// <c>404 {"error":"Cannot GET /nope?x=1"}</c>. ASP.NET Core would answer an empty 404, or a 405
/// for a known path; the frontends and scripts expect neither. Runs after routing has picked an endpoint.
/// </summary>
internal sealed class RouteNotFoundMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var methods = endpoint?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        if (endpoint?.RequestDelegate is not null && methods is not null && methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
            return next(context);

        var request = context.Request;
        return ErrorResults.WriteJsonAsync(context, StatusCodes.Status404NotFound,
            new NotFoundBody($"Cannot {request.Method} {request.PathBase}{request.Path}{request.QueryString}"));
    }

    private sealed record NotFoundBody(string Error);
}
