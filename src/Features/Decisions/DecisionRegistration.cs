using IncodeSlices.Infrastructure.Settings;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

public static class DecisionRegistration
{
    /// <summary>
    /// Durable webhook processing: its settings (checked at start-up whether or not it is on), its queue
    /// in the record store's backend, the worker, the relay's client. With WEBHOOK_PROCESSING=inline
    /// the queue is never created and the worker ends at once.
    /// </summary>
    public static IServiceCollection AddDecisions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DecisionOptions>(configuration);
        services.AddSingleton<IValidateOptions<DecisionOptions>, DecisionOptionsValidator>();

        services.AddSingleton(sp => DecisionRecordKinds.For(
            sp.GetRequiredService<IOptions<DecisionOptions>>().Value, sp.GetRequiredService<IOptions<StoreOptions>>().Value.SessionTtl));
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<DecisionRecordKinds>().Deliveries); // swept when expired
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<DecisionRecordKinds>().Settled);
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<DecisionRecordKinds>().Watches);
        services.AddSingleton<IDecisionStore>(CreateStore);

        services.AddSingleton<DecisionWakeups>();
        services.AddSingleton<DecisionIntake>();
        services.AddSingleton<SessionWatch>();
        services.AddSingleton<DeliveryWork>();
        services.AddSingleton<DecisionRelay>();
        services.AddSingleton<SessionReconciler>();
        services.AddSingleton<PurgeWork>();
        services.AddHostedService<DecisionWorker>();
        // Attempts are the outbox's to retry; the factory's own logging would write DECISIONS_URL, which may hold credentials.
        services.AddHttpClient(DecisionRelay.Client, http => http.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        return services;
    }

    private static IDecisionStore CreateStore(IServiceProvider services)
    {
        var store = services.GetRequiredService<IOptions<StoreOptions>>().Value;
        var options = services.GetRequiredService<IOptions<DecisionOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();
        return store.UsesRedis
            ? new RedisDecisionStore(SharedRedis.From(services), options.Retention, services.GetRequiredService<ILogger<RedisDecisionStore>>())
            : new FileDecisionStore(services.GetRequiredService<IRecordStore>(), Path.GetFullPath(store.SessionsDir),
                services.GetRequiredService<DecisionRecordKinds>(), clock.GetUtcNow(), services.GetRequiredService<ILogger<FileDecisionStore>>());
    }
}
