using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// Records in Redis, for several instances behind one load balancer: <c>SET key value NX PX lifetime</c>
/// is the create-if-absent write, so two instances racing for one approval cannot both win, and a
/// session started on one instance resumes on any other. Expiry is Redis's own.
/// </summary>
internal sealed class RedisRecordStore(RedisConnection connection, IOptions<StoreOptions> options, ILogger<RedisRecordStore> logger)
    : IRecordStore
{
    private readonly string _prefix = options.Value.RedisKeyPrefix;

    public bool IsAvailable => connection.IsConnected;

    public async Task<string?> ProblemAsync(CancellationToken ct)
    {
        try
        {
            await (await connection.DatabaseAsync()).PingAsync();
            return null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return $"REDIS_URL: Redis at {connection.Where} does not answer ({ex.GetType().Name})";
        }
    }

    public Task<bool> TryAddAsync(RecordKind kind, string key, ReadOnlyMemory<byte> value, CancellationToken ct) =>
        RunAsync(kind, db => db.StringSetAsync(KeyOf(kind, key), value, kind.Lifetime, When.NotExists));

    public Task<byte[]?> GetAsync(RecordKind kind, string key, CancellationToken ct) =>
        RunAsync(kind, async db => (byte[]?)await db.StringGetAsync(KeyOf(kind, key)));

    public Task DeleteAsync(RecordKind kind, string key, CancellationToken ct) =>
        RunAsync(kind, db => db.KeyDeleteAsync(KeyOf(kind, key)));

    private async Task<T> RunAsync<T>(RecordKind kind, Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command(await connection.DatabaseAsync());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The exception's message can name the endpoint; the type is enough to act on.
            logger.LogError("Redis failed on a {Collection} record: {Reason}", kind.Collection.Length == 0 ? "session" : kind.Collection, ex.GetType().Name);
            throw new RecordStoreUnavailableException("The store is unavailable", ex);
        }
    }

    private RedisKey KeyOf(RecordKind kind, string key) =>
        RecordKeys.IsSafe(key)
            ? $"{_prefix}{(kind.Collection.Length == 0 ? "sessions" : kind.Collection)}:{key}"
            : throw new ArgumentException("Record keys are lower-case letters, digits and dashes", nameof(key));
}
