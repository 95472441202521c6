using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncodeSlices.Infrastructure.Storage;

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

    /// <summary>Where Redis is, for a log line: host and port only, never the password.</summary>
    public string Where => string.Join(", ", Parse(options.Value.RedisUrl).EndPoints);

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

    private static bool Names(string url, string option) => url.Contains($",{option}=", StringComparison.OrdinalIgnoreCase);

    internal static ConfigurationOptions Parse(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) throw new InvalidOperationException("REDIS_URL is required with SESSION_STORE=redis");

        ConfigurationOptions config;
        if (url.Contains("://", StringComparison.Ordinal) && !url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)
            && !url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
            throw new FormatException("REDIS_URL names a scheme other than redis:// or rediss://");
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
        // Fail fast while Redis is away, unless a configuration string asks for other timeouts.
        if (!Names(url, "connectTimeout")) config.ConnectTimeout = 1000;
        if (!Names(url, "asyncTimeout")) config.AsyncTimeout = 1000;
        if (!Names(url, "syncTimeout")) config.SyncTimeout = 1000;
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
