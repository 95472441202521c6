using System.Net;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Http;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.WebhookAccess;

/// <summary>
/// Incode delivers webhooks from fixed addresses that it gives its customers. With WEBHOOK_ALLOWED_IPS
/// set, the routes Incode calls (the webhooks and the token endpoint) answer anyone else 403, before
/// credentials are looked at. The client address is the socket's, or the one a proxy listed in
/// TRUSTED_PROXIES forwarded for: an X-Forwarded-For from anyone else has been ignored by then.
/// </summary>
public static class WebhookSources
{
    /// <summary>The route is one that Incode calls: only the addresses in WEBHOOK_ALLOWED_IPS may.</summary>
    public static TBuilder OnlyFromWebhookSources<TBuilder>(this TBuilder route) where TBuilder : IEndpointConventionBuilder =>
        route.WithMetadata(WebhookSourceOnly.Instance);

    /// <summary>After routing; without WEBHOOK_ALLOWED_IPS nothing is added to the pipeline.</summary>
    public static IApplicationBuilder UseWebhookSources(this IApplicationBuilder app)
    {
        // Reading the options validates them: a malformed entry stops start-up with one clear line.
        var setting = app.ApplicationServices.GetRequiredService<IOptions<WebhookSourceOptions>>().Value;
        if (!setting.IsSet) return app;

        AddressList.TryRead(setting.AllowedIps, out var addresses, out var networks);
        var metrics = app.ApplicationServices.GetRequiredService<ServerMetrics>();
        return app.UseWhen(
            context => context.GetEndpoint()?.Metadata.GetMetadata<WebhookSourceOnly>() is not null,
            sources => sources.Use((context, next) =>
            {
                if (IsAllowed(context.Connection.RemoteIpAddress, addresses, networks)) return next(context);
                metrics.WebhookRefused(context);
                return ErrorAnswers.WriteAsync(context, ErrorAnswers.Forbidden);
            }));
    }

    private static bool IsAllowed(IPAddress? client, List<IPAddress> addresses, List<System.Net.IPNetwork> networks)
    {
        if (client is null) return false;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4(); // a dual-stack socket reports IPv4 callers so
        foreach (var address in addresses)
            if (address.Equals(client)) return true;
        foreach (var network in networks)
            if (network.Contains(client)) return true;
        return false;
    }

    private sealed class WebhookSourceOnly
    {
        public static readonly WebhookSourceOnly Instance = new();
    }
}
