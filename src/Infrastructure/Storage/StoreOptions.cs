using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.Storage;

public sealed class StoreOptions
{
    /// <summary><c>file</c> (one machine) or <c>redis</c> (several instances sharing sessions and approvals).</summary>
    [ConfigurationKeyName("SESSION_STORE")] public string Kind { get; set; } = "file";

    /// <summary>Folder of the file store; relative paths start at the working directory.</summary>
    [ConfigurationKeyName("SESSIONS_DIR")] public string SessionsDir { get; set; } = "sessions";

    /// <summary>How long a stored session can be resumed, counted from /start.</summary>
    [ConfigurationKeyName("SESSION_TTL_HOURS")] public double SessionTtlHours { get; set; } = 24;

    /// <summary>Redis to use with SESSION_STORE=redis: <c>host:port</c>, a StackExchange.Redis string, or <c>redis://[:password@]host:port</c>.</summary>
    [ConfigurationKeyName("REDIS_URL")] public string? RedisUrl { get; set; }

    /// <summary>Prefix of every key this server writes, so that one Redis can serve several deployments.</summary>
    [ConfigurationKeyName("REDIS_KEY_PREFIX")] public string RedisKeyPrefix { get; set; } = "incodeslices:";

    public bool UsesRedis => string.Equals(Kind, "redis", StringComparison.OrdinalIgnoreCase);

    public TimeSpan SessionTtl => TimeSpan.FromHours(SessionTtlHours);

    /// <summary>Which store, for a log line: the folder, or Redis's host and port and the key prefix (never the password).</summary>
    public string Describe() => UsesRedis
        ? $"redis at {string.Join(", ", RedisConnection.Parse(RedisUrl).EndPoints)} under {RedisKeyPrefix}"
        : $"files in {Path.GetFullPath(SessionsDir)}";
}
