using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Http;

public sealed class SessionCreationLimitOptions
{
    /// <summary>New (billable) Incode sessions one client address may create per minute; 0 turns the limit off.</summary>
    [ConfigurationKeyName("RATE_LIMIT_PER_MINUTE")] public int PerMinute { get; set; } = 10;

    /// <summary>Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDR ranges).</summary>
    [ConfigurationKeyName("TRUSTED_PROXIES")] public string? TrustedProxies { get; set; }

    /// <summary>TRUSTED_PROXIES read: false when an entry is neither an address nor a CIDR range.</summary>
    internal bool TryReadTrustedProxies(out List<IPAddress> addresses, out List<System.Net.IPNetwork> networks)
    {
        addresses = [];
        networks = [];
        foreach (var entry in (TrustedProxies ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (!entry.Contains('/') && IPAddress.TryParse(entry, out var address)) addresses.Add(address);
            else return false;
        }
        return true;
    }
}

/// <summary>
/// Every <c>/start</c> without a uniqueId and every <c>/onboarding-url</c> creates a session Incode
/// bills for, so a script must not be able to create them without bound. The budget is per client
/// address, shared by both routes; resuming a stored session costs nothing and is never limited.
/// </summary>
public static class SessionCreationLimit
{
    public const string Policy = "billable-sessions";

    internal static void AddSessionCreationLimit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionCreationLimitOptions>().Bind(configuration)
            .Validate(o => o.TryReadTrustedProxies(out _, out _), "TRUSTED_PROXIES must be IP addresses or CIDR ranges, comma-separated.")
            .ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, Partition);
            limiter.OnRejected = async (rejected, ct) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ErrorResults.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"Too many new sessions from this address; try again in {seconds} seconds");
            };
        });
    }

    /// <summary>X-Forwarded-For is believed only from TRUSTED_PROXIES; without them it is ignored.</summary>
    internal static void UseTrustedProxies(this WebApplication app)
    {
        // Reading the options validates them: a malformed entry stops start-up with one clear line.
        app.Services.GetRequiredService<IOptions<SessionCreationLimitOptions>>().Value
            .TryReadTrustedProxies(out var addresses, out var networks);
        if (addresses.Count == 0 && networks.Count == 0) return;

        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor };
        forwarded.KnownProxies.Clear(); // the defaults trust loopback
        forwarded.KnownIPNetworks.Clear();
        addresses.ForEach(forwarded.KnownProxies.Add);
        networks.ForEach(forwarded.KnownIPNetworks.Add);
        app.UseForwardedHeaders(forwarded);
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var perMinute = context.RequestServices.GetRequiredService<IOptions<SessionCreationLimitOptions>>().Value.PerMinute;
        var query = context.Request.Query;
        var resumes = !string.IsNullOrEmpty(query["uniqueId"]) || !string.IsNullOrEmpty(query["uuid"]);
        if (perMinute <= 0 || resumes) return RateLimitPartition.GetNoLimiter("free");

        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
