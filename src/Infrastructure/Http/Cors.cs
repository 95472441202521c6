using IncodeSlices.Infrastructure.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IncodeSlices.Infrastructure.Http;

public static class Cors
{
    /// <summary>
    /// The frontend samples run on other origins, so any origin is allowed unless CORS_ORIGINS
    /// (comma-separated) narrows it. The preflight of <c>/fetch-score</c> asks for X-Token.
    /// </summary>
    public static IServiceCollection AddCallerCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<CallerOriginOptions>(configuration);
        services.AddOptions<CorsOptions>().Configure<IOptions<CallerOriginOptions>>((cors, callers) =>
            cors.AddDefaultPolicy(policy => Configure(policy, callers.Value.Origins)));
        return services.AddCors();
    }

    /// <summary>
    /// ASP.NET Core's CORS middleware, called directly. <c>UseCors()</c> builds it with
    /// <c>UseMiddleware</c>, which for an <c>Invoke</c> taking a service besides the request calls it through
    /// reflection in a native executable, on every request. A request without an Origin header, before
    /// routing, passes it by as the middleware itself would, without resolving its policy provider.
    /// </summary>
    public static IApplicationBuilder UseCallerCors(this IApplicationBuilder app) => app.Use(next =>
    {
        var cors = new CorsMiddleware(next, app.ApplicationServices.GetRequiredService<ICorsService>(),
            app.ApplicationServices.GetRequiredService<ILoggerFactory>());
        return context => context.GetEndpoint() is null && !context.Request.Headers.ContainsKey(HeaderNames.Origin)
            ? next(context)
            : cors.Invoke(context, context.RequestServices.GetRequiredService<ICorsPolicyProvider>());
    });

    private static void Configure(CorsPolicyBuilder policy, string? origins)
    {
        var allowed = (origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (allowed.Length == 0 || allowed.Contains("*")) policy.AllowAnyOrigin();
        else policy.WithOrigins(allowed);
        policy.WithMethods("GET", "POST").WithHeaders("Content-Type", "X-Token");
    }
}
