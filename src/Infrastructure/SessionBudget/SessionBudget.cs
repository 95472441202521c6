using System.Globalization;
using System.Threading.RateLimiting;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Settings;
using IncodeSlices.Infrastructure.Storage;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.SessionBudget;

/// <summary>
/// Every route that creates an Incode session creates one Incode bills for, so a script must not be
/// able to create them without bound. The budget is per client address, shared by every such route;
/// a route joins it with <see cref="RequireSessionBudget"/>. Resuming a stored session costs nothing.
/// Each instance counts on its own, unless SESSION_STORE=redis: then they count together in Redis
/// (<see cref="RedisSessionBudget"/>).
/// </summary>
public static class SessionBudget
{
    private const string Policy = "billable-sessions";

    public static IServiceCollection AddSessionBudget(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SessionBudgetOptions>(configuration);
        if (SettingsRegistration.ReadNow<StoreOptions>(configuration).UsesRedis) services.AddSingleton<RedisSessionBudget>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, Partition);
            limiter.OnRejected = async (rejected, _) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                rejected.HttpContext.RequestServices.GetRequiredService<ServerMetrics>().SessionBudgetRefused(rejected.HttpContext);
                await ErrorAnswers.WriteAsync(rejected.HttpContext, ErrorAnswers.TooManySessions(seconds));
            };
        });
        return services;
    }

    /// <summary>
    /// ASP.NET Core's rate limiter, which only the budget's routes use, passed by for a resume: its
    /// partition would be the free one (<see cref="Partition"/>), so the limiter would look it up,
    /// lease nothing and give the lease back, a tenth of a stored session's answer.
    /// </summary>
    public static IApplicationBuilder UseSessionBudget(this IApplicationBuilder app) =>
        app.UseWhen(context => !Resumes(context.Request), budget => budget.UseRateLimiter());

    /// <summary>The request names a stored session to resume: <c>?uniqueId=</c> or <c>?uuid=</c>, not empty.</summary>
    private static bool Resumes(HttpRequest request)
    {
        if (!request.QueryString.HasValue) return false;
        var query = request.Query;
        return !string.IsNullOrEmpty(query["uniqueId"]) || !string.IsNullOrEmpty(query["uuid"]);
    }

    /// <summary>The route creates a billable session (unless it resumes one: <c>?uniqueId=</c> or <c>?uuid=</c>).</summary>
    public static TBuilder RequireSessionBudget<TBuilder>(this TBuilder route) where TBuilder : IEndpointConventionBuilder =>
        route.RequireRateLimiting(Policy);

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var perMinute = context.RequestServices.GetRequiredService<IOptions<SessionBudgetOptions>>().Value.PerMinute;
        if (perMinute <= 0 || Resumes(context.Request)) return RateLimitPartition.GetNoLimiter("free");

        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return context.RequestServices.GetService<RedisSessionBudget>() is { } shared
            ? RateLimitPartition.Get(client, shared.LimiterFor)
            : RateLimitPartition.GetFixedWindowLimiter(client, _ => Window(perMinute));
    }

    internal static readonly TimeSpan WindowLength = TimeSpan.FromMinutes(1);

    internal static FixedWindowRateLimiterOptions Window(int perMinute) => new()
    {
        PermitLimit = perMinute,
        Window = WindowLength,
        QueueLimit = 0,
    };
}
