using System.Net;
using IncodeSlices.Infrastructure.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Http;

/// <summary>Proxies whose X-Forwarded-For is believed: comma-separated addresses or CIDR ranges.</summary>
public sealed class TrustedProxyOptions
{
    [ConfigurationKeyName("TRUSTED_PROXIES")] public string? TrustedProxies { get; set; }

    /// <summary>False when an entry is neither an address nor a CIDR range.</summary>
    internal bool TryRead(out List<IPAddress> addresses, out List<System.Net.IPNetwork> networks) =>
        AddressList.TryRead(TrustedProxies, out addresses, out networks);
}

/// <summary>A comma-separated list of addresses and CIDR ranges, as settings give them.</summary>
public static class AddressList
{
    public static bool TryRead(string? setting, out List<IPAddress> addresses, out List<System.Net.IPNetwork> networks)
    {
        addresses = [];
        networks = [];
        foreach (var entry in (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (!entry.Contains('/') && IPAddress.TryParse(entry, out var address)) addresses.Add(address);
            else return false;
        }
        return true;
    }
}

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
