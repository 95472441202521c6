using System.Diagnostics;
using System.Threading.RateLimiting;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncodeSlices.Infrastructure.SessionBudget;

/// <summary>
/// The session budget counted in Redis (SESSION_STORE=redis), so that instances sharing one Redis
/// allow one budget per address between them, not one each. A fixed window per address: the first
/// request of a window creates its counter with a minute to live, every request counts, and past the
/// budget the counter's time to live is the Retry-After. One script, so that two instances cannot
/// both take the last permit. While Redis cannot be asked, each instance counts on its own as it does
/// without Redis: the budget never turns Redis being away into an error of its own.
/// </summary>
internal sealed class RedisSessionBudget(
    RedisConnection redis, IOptions<StoreOptions> store, IOptions<SessionBudgetOptions> budget, ILogger<RedisSessionBudget> logger) : IDisposable
{
    private const string CountScript = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {count, ttl}
        """;

    private readonly string _keyPrefix = store.Value.RedisKeyPrefix + "session-budget:";
    private readonly int _perMinute = budget.Value.PerMinute;
    private readonly PartitionedRateLimiter<string> _alone = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => SessionBudget.Window(budget.Value.PerMinute)));

    public RateLimiter LimiterFor(string address) => new AddressLimiter(this, address);

    private async ValueTask<RateLimitLease> AcquireAsync(string address, CancellationToken ct) =>
        await CountAsync(address, SessionBudget.WindowLength, _perMinute) switch
        {
            null => await _alone.AcquireAsync(address, 1, ct),
            { Granted: true } => Lease.Granted,
            { RetryAfter: var wait } => Lease.Refused(wait),
        };

    /// <summary>
    /// Counts one request against <paramref name="limit"/> in a fixed window of <paramref name="window"/>
    /// under <paramref name="key"/> (a partition of this budget, or of another one such as the per-user
    /// budget); null when Redis cannot be asked, and the caller counts on its own.
    /// </summary>
    public async ValueTask<(bool Granted, TimeSpan RetryAfter)?> CountAsync(string key, TimeSpan window, int limit)
    {
        if (!redis.IsConnected) return null;
        try
        {
            var database = await redis.DatabaseAsync();
            var counted = (RedisResult[])(await database.ScriptEvaluateAsync(CountScript,
                [_keyPrefix + key], [(long)window.TotalMilliseconds]))!;
            var (count, ttlMilliseconds) = ((long)counted[0], (long)counted[1]);
            return (count <= limit, TimeSpan.FromMilliseconds(Math.Max(ttlMilliseconds, 1)));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The exception's message can name the endpoint; the type is enough to act on.
            logger.LogWarning("Session budget counted by this instance alone: Redis failed ({Reason})", ex.GetType().Name);
            return null;
        }
    }

    public void Dispose() => _alone.Dispose();

    /// <summary>One address's view of the budget. The count is in Redis: the object holds nothing and may be dropped when idle.</summary>
    private sealed class AddressLimiter(RedisSessionBudget budget, string address) : RateLimiter
    {
        private long _lastUsed = Stopwatch.GetTimestamp();

        public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => null;

        // Redis is asked asynchronously only: a refusal here sends the rate-limiting middleware on to AcquireAsync.
        protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotYetAsked;

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
            return budget.AcquireAsync(address, cancellationToken);
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease NotYetAsked = new(false, null);

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
