using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>
/// Keeps the file store's folder clean: at start-up, what a crash mid-write left; then, every few
/// minutes, records past their lifetime (Redis expires its own).
/// </summary>
internal sealed class StoreSweep(FileRecordStore store, IEnumerable<RecordKind> kinds, TimeProvider clock, ILogger<StoreSweep> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Sweep("from an earlier run");
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken)) Sweep("that expired");
    }

    private void Sweep(string what)
    {
        var swept = store.Sweep(kinds);
        if (swept > 0) logger.LogInformation("Removed {Count} records {What}", swept, what);
    }
}
