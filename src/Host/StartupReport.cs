using IncodeSlices.Features.FaceAuth;
using IncodeSlices.Features.WebhookAccess;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Http;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Host;

/// <summary>
/// Says at start-up what works only in part with this configuration, and once the server listens, in
/// one line: where, which store, sandbox or Incode, and which optional features are on. No value that
/// could be a secret: the Incode host only, the store's folder or Redis host and port.
/// </summary>
internal sealed class StartupReport(
    IOptions<IncodeOptions> incode, IOptions<StoreOptions> store, IOptions<ServerOptions> server, IOptions<FaceAuthOptions> faceAuth,
    IOptions<WebhookSecretOptions> webhookSecret, IOptions<WebhookOAuthOptions> webhookOAuth, IOptions<WebhookSourceOptions> webhookSources,
    IOptions<TrustedProxyOptions> proxies, IOptions<CallerOriginOptions> origins, IOptions<CallerOptions> callers,
    IServer listening, IHostApplicationLifetime lifetime, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => logger.LogInformation(
            "IncodeSlices is listening on {Addresses:l}; store: {Store:l}; {Incode:l}; on: {Features:l}. Stop it with Ctrl+C",
            Addresses(), store.Value.Describe(), Upstream(), Features()));
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
                "anyone who can reach /approve can make it approve identities; see docs/webhooks.md");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Addresses()
    {
        var addresses = listening.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return addresses.Count == 0 ? "(in memory)" : string.Join(", ", addresses);
    }

    private string Upstream() => incode.Value.Sandbox
        ? "SANDBOX (made-up answers, Incode is never called)"
        : $"Incode at {(Uri.TryCreate(incode.Value.ApiUrl, UriKind.Absolute, out var api) ? api.Host : "?")}";

    private string Features()
    {
        var on = new List<string>();
        if (server.Value.MetricsPort is { } metrics) on.Add($"metrics on port {metrics}");
        if (!string.IsNullOrEmpty(server.Value.OtlpEndpoint)) on.Add("OTLP export");
        if (string.Equals(server.Value.LogFormat.Trim(), "json", StringComparison.OrdinalIgnoreCase)) on.Add("JSON logs");
        if (incode.Value is { Sandbox: false, LogsInAsAdmin: true }) on.Add("admin login");
        else if (incode.Value is { Sandbox: false } && !string.IsNullOrWhiteSpace(incode.Value.AdminToken)) on.Add("admin token"); // the sandbox's is made up
        if (!string.IsNullOrEmpty(faceAuth.Value.FlowId)) on.Add("face authentication flow");
        if (webhookSecret.Value.IsSet) on.Add("webhook secret");
        if (webhookOAuth.Value.IsSet) on.Add("webhook OAuth");
        if (webhookSources.Value.IsSet) on.Add("webhook source addresses");
        if (!string.IsNullOrWhiteSpace(proxies.Value.TrustedProxies)) on.Add("trusted proxies");
        if (!string.IsNullOrWhiteSpace(origins.Value.Origins)) on.Add("CORS origins");
        if (callers.Value.IsOn)
            on.Add($"caller authentication by {(Uri.TryCreate(callers.Value.Authority!.Trim(), UriKind.Absolute, out var issuer) ? issuer.Host : "?")}");
        return on.Count == 0 ? "no optional feature" : string.Join(", ", on);
    }
}
