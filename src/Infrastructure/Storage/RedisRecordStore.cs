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

    public async Task<bool> ProbeAsync(CancellationToken ct)
    {
        try
        {
            await (await connection.DatabaseAsync()).PingAsync();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
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

/// <summary>
/// One multiplexer for the process, connected lazily and never given up on: with
/// AbortOnConnectFail off it keeps reconnecting in the background, so service resumes by itself
/// when Redis comes back, while commands fail fast (short timeouts) as long as it is away.
/// </summary>
internal sealed class RedisConnection(IOptions<StoreOptions> options) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer = new(() => ConnectAsync(options.Value.RedisUrl));

    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully && _multiplexer.Value.Result.IsConnected;

    public async Task<IDatabase> DatabaseAsync() => (await _multiplexer.Value).GetDatabase();

    /// <summary>Starts connecting at start-up rather than on the first request.</summary>
    public Task WarmUpAsync() => _multiplexer.Value;

    /// <summary>Whether REDIS_URL can be read at all, checked at start-up (a bad one would fail every request).</summary>
    internal static bool IsReadable(string? url)
    {
        try
        {
            Parse(url);
            return true;
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    internal static ConfigurationOptions Parse(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) throw new InvalidOperationException("REDIS_URL is required with SESSION_STORE=redis");

        ConfigurationOptions config;
        if (url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(url);
            config = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
            config.EndPoints.Add(uri.Host, uri.IsDefaultPort ? 6379 : uri.Port);
            var password = Uri.UnescapeDataString(uri.UserInfo.Split(':', 2) is [_, var p] ? p : uri.UserInfo);
            if (password.Length > 0) config.Password = password;
        }
        else
        {
            config = ConfigurationOptions.Parse(url);
        }

        config.AbortOnConnectFail = false;
        config.ConnectTimeout = 1000;
        config.AsyncTimeout = 1000;
        config.SyncTimeout = 1000;
        config.ConnectRetry = 1;
        config.ReconnectRetryPolicy = new LinearRetry(500);
        return config;
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(string? url) =>
        await ConnectionMultiplexer.ConnectAsync(Parse(url));

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
            await _multiplexer.Value.Result.DisposeAsync();
    }
}
