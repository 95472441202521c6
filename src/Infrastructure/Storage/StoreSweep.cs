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
    /// The first sweep comes a few seconds after start-up, at a pace that leaves the core to the
    /// requests: however many records are stored, start-up lists none of them, and the first answers
    /// do not share the machine with a sweep of a hundred thousand files (measured: bench/stored-sessions.sh).
    /// </summary>
    internal static readonly TimeSpan FirstAfter = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            await Task.Delay(FirstAfter, clock, stoppingToken);
            // This run's own writes are told apart by their age: older than this run, a temporary file is no write of it.
            await SweepAsync("from an earlier run", TimeSpan.FromTicks(Math.Max(1, (DateTime.UtcNow - _started).Ticks)), stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken)) await SweepAsync("that expired", InFlightAtMost, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task SweepAsync(string what, TimeSpan temporaryOlderThan, CancellationToken ct)
    {
        var swept = await store.SweepPacedAsync(kinds, temporaryOlderThan, ct);
        if (swept > 0) logger.LogInformation("Removed {Count} records {What}", swept, what);
    }
}
