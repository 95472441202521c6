using IncodeSlices.Features.WebhookAccess;
using IncodeSlices.Infrastructure.Incode;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Host;

/// <summary>Says at start-up what works only in part with this configuration.</summary>
internal sealed class StartupWarnings(
    IOptions<IncodeOptions> incode, IOptions<WebhookSecretOptions> webhookSecret, IOptions<WebhookOAuthOptions> webhookOAuth,
    IOptions<WebhookSourceOptions> webhookSources, ILogger<StartupWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (incode.Value.Sandbox)
            logger.LogWarning("SANDBOX MODE: Incode is not called. Every Incode answer is made up in this process, " +
                "API_URL, API_KEY, FLOW_ID and ADMIN_TOKEN are ignored, and no real session or identity is created. " +
                "Never point a real user at this server");
        var options = incode.Value;
        var hasStaticToken = !string.IsNullOrWhiteSpace(options.AdminToken);
        if (options.LogsInAsAdmin && hasStaticToken)
            logger.LogWarning("ADMIN_TOKEN is ignored: ADMIN_EMAIL and ADMIN_PASSWORD are set, and the token they obtain is renewed");
        else if (!options.LogsInAsAdmin && !hasStaticToken)
            logger.LogWarning("Neither ADMIN_EMAIL and ADMIN_PASSWORD nor ADMIN_TOKEN is set: /onboarding-status, /auth and /approve answer 503, and /webhook cannot fetch scores");
        if (!webhookSecret.Value.IsSet && !webhookOAuth.Value.IsSet && !webhookSources.Value.IsSet)
            logger.LogWarning("Incode's webhooks are not authenticated (no WEBHOOK_SECRET, WEBHOOK_OAUTH_CLIENT_ID or WEBHOOK_ALLOWED_IPS): " +
                "anyone who can reach /approve can make it approve identities; see \"Authenticating Incode's webhooks\" in the README");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
