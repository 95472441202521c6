using IncodeSlices.Infrastructure.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>Proves the store writable: once before the server listens, then every <see cref="Interval"/>.</summary>
internal sealed class StoreReadinessProbe(IRecordStore store, StoreReadiness readiness, IOptions<StoreOptions> options, TimeProvider clock)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// At start-up. A file store that cannot be written stops it with the reason: every billable
    /// session would otherwise be lost. Redis may come up after this server does, so a Redis that does
    /// not answer is logged and the server starts, answering 503 until it does.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var problem = await store.ProblemAsync(cancellationToken);
        readiness.Proved(problem);
        if (problem is not null && !options.Value.UsesRedis) throw new StartupRefusedException(problem);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) readiness.Proved(await store.ProblemAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
