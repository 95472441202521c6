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

    /// <summary>When this run began, in the file system's time: a temporary file older than that is no write of this run.</summary>
    private readonly DateTime _started = DateTime.UtcNow;

    /// <summary>
    /// The first sweep runs beside the first requests, not before them: however many records are
    /// stored, start-up lists none of them.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the path to the first answer: listing a folder of many sessions takes time the server
        // need not spend before it listens, and this run's own writes are told apart by their age.
        await Task.Yield();
        Sweep("from an earlier run", temporaryOlderThan: TimeSpan.FromTicks(Math.Max(1, (DateTime.UtcNow - _started).Ticks)));
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) Sweep("that expired", InFlightAtMost);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Sweep(string what, TimeSpan temporaryOlderThan)
    {
        var swept = store.Sweep(kinds, temporaryOlderThan);
        if (swept > 0) logger.LogInformation("Removed {Count} records {What}", swept, what);
    }
}
