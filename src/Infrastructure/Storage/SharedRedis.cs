using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// The process's one Redis connection (SESSION_STORE=redis), for an area that keeps data shaped other
/// than records (queues, ordered logs) next to the records: the same multiplexer, the same key prefix.
/// </summary>
public sealed class SharedRedis
{
    private readonly RedisConnection _connection;

    private SharedRedis(RedisConnection connection, string prefix)
    {
        _connection = connection;
        Prefix = prefix;
    }

    /// <summary>REDIS_KEY_PREFIX: every key of this deployment starts with it.</summary>
    public string Prefix { get; }

    public Task<IDatabase> DatabaseAsync() => _connection.DatabaseAsync();

    /// <summary>Only with SESSION_STORE=redis, where the connection is registered.</summary>
    public static SharedRedis From(IServiceProvider services) =>
        new(services.GetRequiredService<RedisConnection>(),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StoreOptions>>().Value.RedisKeyPrefix);
}
