using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// The decision queue in Redis, shared by every instance. Each queue is a sorted set of ids by due
/// time; taking an item moves its due time a claim ahead, in one script, so one instance works it at
/// a time and a dead instance's items come due again by themselves. Sorted sets, strings, hashes and
/// scripts only: Redis Streams (XREADGROUP, XAUTOCLAIM) would fit too, but Garnet 2.2, which the
/// test suite runs on, has no stream commands.
/// </summary>
internal sealed class RedisDecisionStore(SharedRedis redis, TimeSpan retention, ILogger<RedisDecisionStore> logger) : IDecisionStore
{
    private const string AddScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
          redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
          return 1
        end
        return 0
        """;

    private const string TakeScript = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
        if #due == 0 then return false end
        redis.call('ZADD', KEYS[1], ARGV[2], due[1])
        return due[1]
        """;

    private const string RetryScript = """
        if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
          redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
        end
        return 1
        """;

    // The decision, its place in the feed, its relay, its interview's purge and the delivery leaving the queue: all or nothing.
    // A purge queued already is due no earlier than the new one (its claim, if taken, not shortened); one purged never again.
    private const string SettleScript = """
        local new = 0
        if ARGV[2] ~= '' and redis.call('HEXISTS', KEYS[3], ARGV[2]) == 0 then
          local seq = redis.call('INCR', KEYS[4])
          redis.call('ZADD', KEYS[5], seq, ARGV[3])
          redis.call('HSET', KEYS[3], ARGV[2], seq)
          if ARGV[4] == '1' then redis.call('ZADD', KEYS[6], ARGV[5], tostring(seq)) end
          if ARGV[6] ~= '' and redis.call('HEXISTS', KEYS[9], ARGV[6]) == 0 then
            local due = tonumber(ARGV[7])
            local was = tonumber(redis.call('HGET', KEYS[8], ARGV[6]) or '0')
            if due > was then redis.call('HSET', KEYS[8], ARGV[6], ARGV[7]) end
            local score = redis.call('ZSCORE', KEYS[7], ARGV[6])
            if not score or tonumber(score) < due then redis.call('ZADD', KEYS[7], ARGV[7], ARGV[6]) end
          end
          new = 1
        end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return new
        """;

    private const string RetryPurgeScript = """
        if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
          local due = tonumber(ARGV[1])
          local later = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
          if later > due then due = later end
          redis.call('ZADD', KEYS[1], due, ARGV[2])
        end
        return 1
        """;

    private const string EndPurgeScript = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
        return 1
        """;

    private const string WatchScript = """
        if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then
          redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        end
        return 1
        """;

    private readonly string _keys = redis.Prefix + "decisions:";

    private RedisKey DeliveryKey(string id) => $"{_keys}delivery:{id}";
    private RedisKey Pending => $"{_keys}pending";
    private RedisKey Received => $"{_keys}received";
    private RedisKey Ids => $"{_keys}ids";
    private RedisKey Sequence => $"{_keys}sequence";
    private RedisKey Feed => $"{_keys}feed";
    private RedisKey Relay => $"{_keys}relay";
    private RedisKey Watches => $"{_keys}watches";
    private RedisKey WatchData => $"{_keys}watch-data";
    private RedisKey Purges => $"{_keys}purges";
    private RedisKey PurgeDue => $"{_keys}purge-due";
    private RedisKey Purged => $"{_keys}purged";

    public Task<bool> AddDeliveryAsync(Delivery delivery, CancellationToken ct) => RunAsync(async db =>
        (long)(await db.ScriptEvaluateAsync(AddScript, [DeliveryKey(delivery.Id), Pending, Received],
            [delivery.ToJson(), (long)retention.TotalMilliseconds, Ms(delivery.ReceivedAt), delivery.Id])) == 1);

    public Task<Delivery?> TakeDeliveryAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct) => RunAsync(async db =>
    {
        var id = await TakeAsync(db, Pending, now, claim);
        if (id is null) return null;
        var json = (byte[]?)await db.StringGetAsync(DeliveryKey(id));
        if (json is not null && Delivery.FromJson(json) is { } delivery) return delivery;
        await db.SortedSetRemoveAsync(Pending, id); // expired or unreadable: nothing left to work
        await db.SortedSetRemoveAsync(Received, id);
        return null;
    });

    public Task RetryDeliveryAsync(Delivery delivery, DateTimeOffset due, CancellationToken ct) =>
        RunAsync(db => db.ScriptEvaluateAsync(RetryScript, [Pending], [Ms(due), delivery.Id]));

    public Task<bool> IsDecidedAsync(string decisionId, CancellationToken ct) => RunAsync(db => db.HashExistsAsync(Ids, decisionId));

    public Task<bool> SettleAsync(Delivery delivery, Decision? decision, bool relay, DateTimeOffset? purgeAt, DateTimeOffset now, CancellationToken ct) =>
        RunAsync(async db => (long)(await db.ScriptEvaluateAsync(SettleScript, [Pending, Received, Ids, Sequence, Feed, Relay, Purges, PurgeDue, Purged],
            [delivery.Id, decision?.Id ?? "", decision?.ToJson() ?? "", relay ? "1" : "0", Ms(now),
             purgeAt is null || decision is null ? "" : decision.InterviewId, purgeAt is { } due ? Ms(due) : 0])) == 1);

    public Task<IReadOnlyList<FeedEntry>> ReadAsync(long after, int limit, CancellationToken ct) => RunAsync(async db =>
    {
        var entries = await db.SortedSetRangeByScoreWithScoresAsync(Feed, after, double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, limit);
        return (IReadOnlyList<FeedEntry>)entries.Select(e => new FeedEntry((long)e.Score, e.Element!)).ToList();
    });

    public Task<FeedEntry?> TakeRelayAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct) => RunAsync(async db =>
    {
        var taken = await TakeAsync(db, Relay, now, claim);
        if (taken is null || !long.TryParse(taken, out var sequence)) return null;
        var entry = await db.SortedSetRangeByScoreAsync(Feed, sequence, sequence);
        if (entry.Length == 1) return new FeedEntry(sequence, entry[0]!);
        await db.SortedSetRemoveAsync(Relay, taken); // trimmed from the feed meanwhile
        return null;
    });

    public Task RetryRelayAsync(long sequence, DateTimeOffset due, CancellationToken ct) =>
        RunAsync(db => db.ScriptEvaluateAsync(RetryScript, [Relay], [Ms(due), sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)]));

    public Task EndRelayAsync(long sequence, CancellationToken ct) =>
        RunAsync(db => db.SortedSetRemoveAsync(Relay, sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public Task WatchAsync(Watch watch, DateTimeOffset due, CancellationToken ct) =>
        RunAsync(db => db.ScriptEvaluateAsync(WatchScript, [Watches, WatchData],
            [watch.Key, System.Text.Json.JsonSerializer.Serialize(watch, DecisionJson.Default.Watch), Ms(due)]));

    public Task<Watch?> TakeWatchAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct) => RunAsync(async db =>
    {
        var key = await TakeAsync(db, Watches, now, claim);
        if (key is null) return null;
        var json = (string?)await db.HashGetAsync(WatchData, key);
        if (json is not null && System.Text.Json.JsonSerializer.Deserialize(json, DecisionJson.Default.Watch) is { } watch) return watch;
        await db.SortedSetRemoveAsync(Watches, key);
        return null;
    });

    public Task RetryWatchAsync(Watch watch, DateTimeOffset due, CancellationToken ct) =>
        RunAsync(db => db.ScriptEvaluateAsync(RetryScript, [Watches], [Ms(due), watch.Key]));

    public Task EndWatchAsync(Watch watch, CancellationToken ct) => RunAsync(async db =>
    {
        await db.SortedSetRemoveAsync(Watches, watch.Key);
        return await db.HashDeleteAsync(WatchData, watch.Key);
    });

    public Task<Purge?> TakePurgeAsync(DateTimeOffset now, TimeSpan claim, CancellationToken ct) => RunAsync(async db =>
    {
        var interviewId = await TakeAsync(db, Purges, now, claim);
        if (interviewId is null) return null;
        var due = await db.HashGetAsync(PurgeDue, interviewId);
        if (!due.IsNull && due.TryParse(out long ms)) return new Purge(interviewId, DateTimeOffset.FromUnixTimeMilliseconds(ms));
        await db.SortedSetRemoveAsync(Purges, interviewId); // ended meanwhile
        return null;
    });

    public Task RetryPurgeAsync(Purge purge, DateTimeOffset due, CancellationToken ct) =>
        RunAsync(db => db.ScriptEvaluateAsync(RetryPurgeScript, [Purges, PurgeDue], [Ms(due), purge.InterviewId]));

    public Task EndPurgeAsync(Purge purge, DateTimeOffset now, CancellationToken ct) =>
        RunAsync(db => db.ScriptEvaluateAsync(EndPurgeScript, [Purges, PurgeDue, Purged], [purge.InterviewId, Ms(now)]));

    public Task<(long Count, DateTimeOffset? Oldest)> BacklogAsync(CancellationToken ct) => RunAsync(async db =>
    {
        var count = await db.SortedSetLengthAsync(Received);
        var oldest = await db.SortedSetRangeByRankWithScoresAsync(Received, 0, 0);
        return (count, oldest.Length == 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds((long)oldest[0].Score));
    });

    public Task TrimAsync(DateTimeOffset before, CancellationToken ct) => RunAsync(async db =>
    {
        while (!ct.IsCancellationRequested)
        {
            var oldest = await db.SortedSetRangeByRankWithScoresAsync(Feed, 0, 99);
            var expired = oldest.Select(e => new FeedEntry((long)e.Score, e.Element!)).TakeWhile(e => e.OccurredAt() < before).ToList();
            if (expired.Count == 0) break;
            await db.SortedSetRemoveRangeByScoreAsync(Feed, expired[0].Sequence, expired[^1].Sequence);
            var ids = expired.Select(e => System.Text.Json.JsonDocument.Parse(e.Json).RootElement.GetProperty("id").GetString())
                .Where(id => id is not null).Select(id => (RedisValue)id).ToArray();
            await db.HashDeleteAsync(Ids, ids);
            if (expired.Count < oldest.Length) break;
        }
        return true;
    });

    private static async Task<string?> TakeAsync(IDatabase db, RedisKey queue, DateTimeOffset now, TimeSpan claim)
    {
        var taken = await db.ScriptEvaluateAsync(TakeScript, [queue], [Ms(now), Ms(now + claim)]);
        return taken.IsNull ? null : (string?)taken;
    }

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command(await redis.DatabaseAsync());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The exception's message can name the endpoint; the type is enough to act on.
            logger.LogError("Redis failed on the decision queue: {Reason}", ex.GetType().Name);
            throw new RecordStoreUnavailableException("The store is unavailable", ex);
        }
    }

    private async Task RunAsync(Func<IDatabase, Task> command) => await RunAsync(async db =>
    {
        await command(db);
        return true;
    });
}
