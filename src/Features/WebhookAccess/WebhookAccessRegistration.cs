using IncodeSlices.Features.WebhookAccess.OAuthToken;
using IncodeSlices.Infrastructure.Http;
using IncodeSlices.Infrastructure.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Features.WebhookAccess;

/// <summary>
/// Who may call the routes Incode calls (/webhook, /approve, /oauth/token): the source addresses, the
/// static secret, and the OAuth client whose tokens the token endpoint issues.
/// </summary>
public static class WebhookAccessRegistration
{
    public static IServiceCollection AddWebhookAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WebhookSourceOptions>(configuration)
            .Validate(o => AddressList.TryRead(o.AllowedIps, out _, out _), "WEBHOOK_ALLOWED_IPS must be IP addresses or CIDR ranges, comma-separated.");
        services.AddSettings<WebhookSecretOptions>(configuration)
            .Validate(o => string.IsNullOrEmpty(o.Secret) || !string.IsNullOrWhiteSpace(o.Header),
                "WEBHOOK_SECRET_HEADER must name a header when WEBHOOK_SECRET is set.");
        WebhookOAuthOptions.Validate(services.AddSettings<WebhookOAuthOptions>(configuration));
        services.AddSingleton<WebhookTokens>();
        services.AddSingleton<TokenRequestFailures>();
        return services;
    }
}
