using IncodeSlices.Infrastructure.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Http;

public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<TrustedProxyOptions>(configuration)
            .Validate(o => o.TryRead(out _, out _), "TRUSTED_PROXIES must be IP addresses or CIDR ranges, comma-separated.");
        return services;
    }

    /// <summary>
    /// The client address is the socket's, or the one a trusted proxy forwarded for: X-Forwarded-For
    /// from anyone else is ignored. Without TRUSTED_PROXIES nothing is added to the pipeline.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        // Reading the options validates them: a malformed entry stops start-up with one clear line.
        app.ApplicationServices.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.TryRead(out var addresses, out var networks);
        if (addresses.Count == 0 && networks.Count == 0) return app;

        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor };
        forwarded.KnownProxies.Clear(); // the defaults trust loopback
        forwarded.KnownIPNetworks.Clear();
        addresses.ForEach(forwarded.KnownProxies.Add);
        networks.ForEach(forwarded.KnownIPNetworks.Add);
        return app.UseForwardedHeaders(forwarded);
    }
}
