using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// The background half of durable processing, on every instance: deliveries, relays, watched
/// sessions and purges, each taken from its queue and worked a few at a time, plus the backlog measured for the
/// metrics and old decisions trimmed. A loop with nothing due waits for work to arrive in this
/// process, or a second (work recorded by another instance, a retry coming due). Stopping leaves
/// whatever is in hand to be taken again: at the next start, or by another instance after DECISION_CLAIM_SECONDS.
/// </summary>
internal sealed class DecisionWorker(IServiceProvider services, IOptions<DecisionOptions> options, TimeProvider clock, DecisionWakeups wakeups,
    ServerMetrics metrics, ILogger<DecisionWorker> logger) : BackgroundService
{
    private const int DeliveriesAtOnce = 8;
    private const int RelaysAtOnce = 4;
    private const int PurgesAtOnce = 2;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MeasureEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TrimEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.IsDurable) return;

        await Task.Yield(); // start-up goes on meanwhile
        if (await OpenStoreAsync(stoppingToken) is not { } store) return;
        var work = services.GetRequiredService<DeliveryWork>();
        var reconciler = services.GetRequiredService<SessionReconciler>();
        var claim = settings.Claim;
        List<Task> loops =
        [
            RunAsync("deliveries", (now, ct) => store.TakeDeliveryAsync(now, claim, ct), work.WorkAsync, wakeups.Deliveries, DeliveriesAtOnce, stoppingToken),
            RunAsync("watched sessions", (now, ct) => store.TakeWatchAsync(now, claim, ct), reconciler.CheckAsync, wakeups.Watches, 2, stoppingToken),
            MeasureAsync(store, settings, stoppingToken),
        ];
        if (settings.Relays)
        {
            var relay = services.GetRequiredService<DecisionRelay>();
            loops.Add(RunAsync("relays", (now, ct) => store.TakeRelayAsync(now, claim, ct), relay.RelayAsync, wakeups.Relay, RelaysAtOnce, stoppingToken));
        }
        if (settings.Purges)
        {
            var purge = services.GetRequiredService<PurgeWork>();
            loops.Add(RunAsync("purges", (now, ct) => store.TakePurgeAsync(now, claim, ct), purge.PurgeAsync, wakeups.Purges, PurgesAtOnce, stoppingToken));
        }
        await Task.WhenAll(loops);
    }

    /// <summary>
    /// The queue, once its folder can be opened: a store that cannot be read at start-up (a disk
    /// not mounted yet) is tried again rather than stopping the server, whose intake answers 503 meanwhile.
    /// </summary>
    private async Task<IDecisionStore?> OpenStoreAsync(CancellationToken stop)
    {
        while (true)
        {
            try
            {
                return services.GetRequiredService<IDecisionStore>();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogError("Decision queue cannot be opened: {Reason}; trying again", ex.GetType().Name);
            }
            try
            {
                await Task.Delay(MeasureEvery, clock, stop);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    private async Task RunAsync<T>(string queue, Func<DateTimeOffset, CancellationToken, Task<T?>> take, Func<T, CancellationToken, Task> handle,
        Wakeup wakeup, int atOnce, CancellationToken stop) where T : class
    {
        using var slots = new SemaphoreSlim(atOnce);
        var running = new HashSet<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await slots.WaitAsync(stop);
                var arrived = wakeup.Next;
                T? item = null;
                try
                {
                    item = await take(clock.GetUtcNow(), stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Decision queue of {Queue} not read: {Reason}", queue, ex.GetType().Name);
                }
                if (item is null)
                {
                    slots.Release();
                    await WaitAsync(arrived, Poll, stop);
                    continue;
                }

                var task = Task.Run(async () =>
                {
                    try
                    {
                        await handle(item, stop);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        // stopping: the item is taken again later
                    }
                    catch (Exception ex)
                    {
                        logger.LogError("Decision queue of {Queue}: an item failed unexpectedly ({Reason})", queue, ex.GetType().Name);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None);
                lock (running) running.Add(task);
                _ = task.ContinueWith(t => { lock (running) running.Remove(t); }, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        Task[] left;
        lock (running) left = [.. running];
        await Task.WhenAll(left);
    }

    private async Task MeasureAsync(IDecisionStore store, DecisionOptions settings, CancellationToken stop)
    {
        var trimmed = DateTimeOffset.MinValue;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var now = clock.GetUtcNow();
                var (count, oldest) = await store.BacklogAsync(stop);
                metrics.DecisionBacklogSeen(count, oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0);
                if (now - trimmed >= TrimEvery)
                {
                    await store.TrimAsync(now - settings.Retention, stop);
                    trimmed = now;
                }
                await Task.Delay(MeasureEvery, clock, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Decision backlog not measured: {Reason}", ex.GetType().Name);
                try
                {
                    await Task.Delay(MeasureEvery, clock, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task WaitAsync(Task arrived, TimeSpan atMost, CancellationToken stop)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
        await Task.WhenAny(arrived, Task.Delay(atMost, clock, timer.Token));
        await timer.CancelAsync();
        stop.ThrowIfCancellationRequested();
    }
}
