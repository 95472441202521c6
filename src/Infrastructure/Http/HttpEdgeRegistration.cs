using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>Everything between the socket and the endpoints: CORS, errors, body reading, unknown routes.</summary>
public static class HttpEdgeRegistration
{
    public static IServiceCollection AddHttpEdge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddExceptionHandler<ErrorExceptionHandler>();
        services.AddProblemDetails();
        services.AddCors(cors => cors.AddDefaultPolicy(policy => ConfigureCors(policy, configuration["CORS_ORIGINS"])));
        services.AddSessionCreationLimit(configuration);
        services.AddOptions<WebhookSecretOptions>().Bind(configuration)
            .Validate(o => string.IsNullOrEmpty(o.Secret) || !string.IsNullOrWhiteSpace(o.Header),
                "WEBHOOK_SECRET_HEADER must name a header when WEBHOOK_SECRET is set.")
            .ValidateOnStart();
        // The authentication core without AddAuthentication()'s data protection, which no route uses
        // (no cookies, no antiforgery) and which at every start-up made a key ring and wrote its
        // keys to ~/.aspnet, loading OpenSSL and XML for it: 10 MB of the idle process.
        services.AddAuthenticationCore();
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, WebhookSecretAuthentication>(WebhookSecretAuthentication.SchemeName, null);
        services.AddAuthorization();
        return services;
    }

    /// <summary>
    /// The middleware around the endpoints that <paramref name="endpoints"/> maps. <paramref name="documentation"/>
    /// adds middleware that serves paths of its own (the OpenAPI document), which must run before
    /// unknown routes are answered 404.
    /// </summary>
    public static WebApplication UseHttpEdge(this WebApplication app, Action<WebApplication> endpoints, Action<WebApplication>? documentation = null)
    {
        // Mapping adds no middleware, so its place in this list does not matter; it comes first
        // because the document generator reads FastEndpoints' settings when it is added.
        endpoints(app);
        app.UseExceptionHandler();
        app.UseTrustedProxies();
        app.UseCors();
        app.Use(JsonBodyMiddleware.DeclareJson); // before routing, whose content-type check would answer 415
        documentation?.Invoke(app);
        app.UseRouting();
        app.UseMiddleware<RouteNotFoundMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization(); // the webhook secret is checked before the body is read
        app.UseRateLimiter();
        app.UseMiddleware<JsonBodyMiddleware>();
        return app;
    }

    /// <summary>
    /// The frontend samples run on other origins, so any origin is allowed unless CORS_ORIGINS
    /// (comma-separated) narrows it. The preflight of <c>/fetch-score</c> asks for X-Token.
    /// </summary>
    internal static void ConfigureCors(CorsPolicyBuilder policy, string? origins)
    {
        var allowed = (origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (allowed.Length == 0 || allowed.Contains("*")) policy.AllowAnyOrigin();
        else policy.WithOrigins(allowed);
        policy.WithMethods("GET", "POST").WithHeaders("Content-Type", "X-Token");
    }
}
