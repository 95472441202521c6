using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Storage;

/// <summary>At start-up, clears what a crash mid-write can leave in the store's folder.</summary>
internal sealed class StoreSweep(FileRecordStore store, IEnumerable<RecordKind> kinds, ILogger<StoreSweep> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var swept = store.Sweep(kinds);
        if (swept > 0) logger.LogInformation("Removed {Count} unfinished or expired records from an earlier run", swept);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
