using IncodeSlices.Infrastructure.Settings;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    private static void Configure(CorsPolicyBuilder policy, string? origins)
    {
        var allowed = (origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (allowed.Length == 0 || allowed.Contains("*")) policy.AllowAnyOrigin();
        else policy.WithOrigins(allowed);
        policy.WithMethods("GET", "POST").WithHeaders("Content-Type", "X-Token");
    }
}
