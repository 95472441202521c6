using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.WebhookAccess;

/// <summary>
/// Incode does not sign its webhooks, but it can send a static custom header (WEBHOOK_SECRET), or a
/// bearer token it obtains from this server's /oauth/token (WEBHOOK_OAUTH_CLIENT_ID and _SECRET).
/// With either configured, the routes that take webhooks answer only a caller that carries one of
/// them; anyone else gets a 401 before the body is read, and no Incode call is made on their behalf.
/// </summary>
/// <remarks>
/// A middleware on those routes rather than an ASP.NET authentication scheme: registering a scheme
/// makes WebApplication add authentication in front of the whole pipeline, which then ran the
/// webhook check (and logged its failure) on every request to every route.
/// </remarks>
public static class WebhookAuthentication
{
    /// <summary>The route takes Incode's webhook deliveries: it answers only a caller with the configured credentials.</summary>
    public static TBuilder RequireWebhookCredentials<TBuilder>(this TBuilder route) where TBuilder : IEndpointConventionBuilder =>
        route.WithMetadata(WebhookCredentialsRequired.Instance);

    /// <summary>
    /// After routing, before the body is read, and only on the routes that ask for it. With neither a
    /// secret nor OAuth configured the webhooks are open, and nothing is added to the pipeline.
    /// </summary>
    public static IApplicationBuilder UseWebhookAuthentication(this IApplicationBuilder app)
    {
        var secret = app.ApplicationServices.GetRequiredService<IOptions<WebhookSecretOptions>>().Value;
        var tokens = app.ApplicationServices.GetRequiredService<WebhookTokens>();
        if (!secret.IsSet && !tokens.IsOn) return app;

        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookAuthentication));
        var metrics = app.ApplicationServices.GetRequiredService<ServerMetrics>();
        var refusal = ErrorAnswers.WebhookUnauthorized(secret: secret.IsSet, token: tokens.IsOn);
        return app.UseWhen(
            context => context.GetEndpoint()?.Metadata.GetMetadata<WebhookCredentialsRequired>() is not null,
            authenticated => authenticated.Use(async (context, next) =>
            {
                var bearer = BearerToken(context.Request);
                if ((tokens.IsOn && bearer is not null && await tokens.IsValidAsync(bearer)) || CarriesSecret(context.Request, secret))
                {
                    await next(context);
                    return;
                }

                logger.LogInformation("{Path} refused a delivery without valid webhook credentials", context.Request.Path.Value);
                metrics.WebhookRefused(context);
                // RFC 6750 section 3: name the scheme expected, and say when the token sent was the problem.
                if (tokens.IsOn) context.Response.Headers.WWWAuthenticate = bearer is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                await ErrorAnswers.WriteAsync(context, refusal);
            }));
    }

    private static bool CarriesSecret(HttpRequest request, WebhookSecretOptions secret)
    {
        if (!secret.IsSet) return false;
        var sent = request.Headers[secret.Header];
        return sent.Count == 1 && WebhookSecrets.Same(sent[0], secret.Secret!);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count != 1 || authorization[0] is not { } value) return null;
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value.Length > "Bearer ".Length
            ? value["Bearer ".Length..].Trim()
            : null;
    }

    private sealed class WebhookCredentialsRequired
    {
        public static readonly WebhookCredentialsRequired Instance = new();
    }
}
