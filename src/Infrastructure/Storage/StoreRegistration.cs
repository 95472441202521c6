using IncodeSlices.Infrastructure.Settings;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IncodeSlices.Infrastructure.Storage;

public static class StoreRegistration
{
    /// <summary>The record store behind sessions and approvals: files by default, Redis with SESSION_STORE=redis.</summary>
    public static IServiceCollection AddRecordStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = SettingsRegistration.ReadNow<StoreOptions>(configuration);
        services.AddSettings<StoreOptions>(configuration)
            .Validate(o => !o.UsesRedis || !string.IsNullOrWhiteSpace(o.RedisUrl), "REDIS_URL is required with SESSION_STORE=redis.")
            .Validate(o => !o.UsesRedis || string.IsNullOrWhiteSpace(o.RedisUrl) || RedisConnection.IsReadable(o.RedisUrl),
                "REDIS_URL must be host:port, a StackExchange.Redis configuration string, or redis://[:password@]host:port.")
            .Validate(o => o.UsesRedis || string.Equals(o.Kind, "file", StringComparison.OrdinalIgnoreCase), "SESSION_STORE must be file or redis.")
            .Validate(o => o.SessionTtlHours > 0, "SESSION_TTL_HOURS must be positive.");

        services.AddSingleton<StoreReadiness>();
        services.AddHostedService<StoreReadinessProbe>();
        if (options.UsesRedis)
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<RedisRecordStore>();
            services.AddSingleton<IRecordStore>(sp => Observed<RedisRecordStore>(sp, "redis"));
            services.AddHostedService<RedisWarmUp>();
        }
        else
        {
            services.AddSingleton<FileRecordStore>();
            services.AddSingleton<IRecordStore>(sp => Observed<FileRecordStore>(sp, "file"));
            services.AddHostedService<StoreSweep>();
        }
        return services;
    }

    private static ObservedRecordStore Observed<TStore>(IServiceProvider services, string name) where TStore : IRecordStore =>
        new(services.GetRequiredService<TStore>(), name, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ServerMetrics>());

    private sealed class RedisWarmUp(RedisConnection redis) : IHostedService
    {
        // Connects before the first request. If Redis is away the multiplexer keeps trying in the
        // background and requests answer 503 meanwhile: start-up does not wait for it.
        public Task StartAsync(CancellationToken cancellationToken) =>
            Task.WhenAny(redis.WarmUpAsync(), Task.Delay(TimeSpan.FromSeconds(3), cancellationToken));

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
