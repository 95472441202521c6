using System.Threading.RateLimiting;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.SessionBudget;

/// <summary>
/// With caller authentication, the billable sessions one user may create an hour (USER_SESSIONS_PER_HOUR),
/// beside the per-address budget: an address is cheap, an account in the app less so. Counted in Redis
/// with SESSION_STORE=redis, so that instances share one budget per user; by each instance on its own
/// otherwise, or while Redis cannot be asked. Users are counted under a digest, never by name.
/// </summary>
public sealed class UserSessionBudget(IOptions<CallerOptions> options, IServiceProvider services) : IDisposable
{
    internal static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly int _perHour = options.Value.UserSessionsPerHour;
    private readonly RedisSessionBudget? _shared = services.GetService<RedisSessionBudget>();
    private readonly PartitionedRateLimiter<string> _alone = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.UserSessionsPerHour),
            Window = Window,
            QueueLimit = 0,
        }));

    /// <summary>Counts one new session of <paramref name="user"/>: null when it is within the budget, else how long until it is.</summary>
    public async ValueTask<TimeSpan?> TryTakeAsync(string user, CancellationToken ct)
    {
        if (_perHour <= 0) return null;
        var key = RecordKeys.Of(user);
        if (_shared is not null && await _shared.CountAsync("user:" + key, Window, _perHour) is { } counted)
            return counted.Granted ? null : counted.RetryAfter;

        using var lease = await _alone.AcquireAsync(key, 1, ct);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
    }

    public void Dispose() => _alone.Dispose();
}
