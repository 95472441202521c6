using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Webhook;

public sealed class WebhookSecretOptions
{
    /// <summary>The value Incode is configured to send with each webhook; unset leaves the webhooks open.</summary>
    [ConfigurationKeyName("WEBHOOK_SECRET")] public string? Secret { get; set; }

    [ConfigurationKeyName("WEBHOOK_SECRET_HEADER")] public string Header { get; set; } = "X-Webhook-Secret";

    public bool IsSet => !string.IsNullOrEmpty(Secret);
}

/// <summary>
/// Incode does not sign its webhooks, but it can send a static custom header. With WEBHOOK_SECRET set,
/// /webhook and /approve answer only a caller that sends that header with exactly that value; anyone
/// else gets a 401 before the body is read, and no Incode call is made on their behalf.
/// </summary>
public static class WebhookAuthentication
{
    public const string Scheme = "IncodeWebhook";

    internal static IServiceCollection AddWebhookAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookSecretOptions>().Bind(configuration)
            .Validate(o => string.IsNullOrEmpty(o.Secret) || !string.IsNullOrWhiteSpace(o.Header),
                "WEBHOOK_SECRET_HEADER must name a header when WEBHOOK_SECRET is set.")
            .ValidateOnStart();
        // The authentication core without AddAuthentication()'s data protection, which no route uses
        // (no cookies, no antiforgery) and which writes a key ring to ~/.aspnet at every start-up.
        services.AddAuthenticationCore();
        services.AddWebEncoders();
        new AuthenticationBuilder(services).AddScheme<AuthenticationSchemeOptions, WebhookSecretHandler>(Scheme, null);
        services.AddAuthorization();
        // Authentication runs only where an endpoint asks for it (below); ASP.NET would otherwise refuse
        // every FastEndpoints endpoint, which all carry authorization metadata, anonymous ones included.
        services.Configure<Microsoft.AspNetCore.Routing.RouteOptions>(o => o.SuppressCheckForUnhandledSecurityMetadata = true);
        return services;
    }

    /// <summary>
    /// After routing, before the body is read, and only on the routes that ask for it: every other
    /// route is anonymous and pays nothing for it.
    /// </summary>
    public static IApplicationBuilder UseWebhookAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(RequiresAuthentication, authenticated => authenticated.UseAuthentication().UseAuthorization());

    private static bool RequiresAuthentication(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null
        && metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null;

    private sealed class WebhookSecretHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<WebhookSecretOptions> secret,
        ServerMetrics metrics)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var webhook = secret.Value;
            if (!webhook.IsSet) return Task.FromResult(Success("open"));

            var sent = Request.Headers[webhook.Header];
            return Task.FromResult(sent.Count == 1 && SameSecret(sent[0], webhook.Secret!)
                ? Success("secret")
                : AuthenticateResult.Fail("Missing or wrong webhook secret"));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            metrics.WebhookRefused(Context);
            return ErrorAnswers.WriteAsync(Context, ErrorAnswers.WebhookUnauthorized);
        }

        /// <summary>
        /// Compares digests, in constant time: neither how much of the value matched nor its length
        /// shows in the time the comparison takes.
        /// </summary>
        private static bool SameSecret(string? sent, string expected) =>
            sent is not null && CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

        private AuthenticateResult Success(string how) =>
            AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "incode-webhook"), new Claim("webhook", how)], WebhookAuthentication.Scheme)),
                WebhookAuthentication.Scheme));
    }
}
