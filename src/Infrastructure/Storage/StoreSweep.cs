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

    /// <summary>No write stays in flight this long; a younger temporary file may be one.</summary>
    private static readonly TimeSpan InFlightAtMost = TimeSpan.FromMinutes(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Sweep("from an earlier run", temporaryOlderThan: TimeSpan.Zero); // nothing of this run is in flight yet
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken)) Sweep("that expired", InFlightAtMost);
    }

    private void Sweep(string what, TimeSpan temporaryOlderThan)
    {
        var swept = store.Sweep(kinds, temporaryOlderThan);
        if (swept > 0) logger.LogInformation("Removed {Count} records {What}", swept, what);
    }
}
