using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Infrastructure.Sessions;

/// <summary>At start-up, clears the temporary files that a crash mid-write can leave in the sessions folder.</summary>
internal sealed class SessionFolderSweep(FileSessionStore store, ILogger<SessionFolderSweep> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var swept = store.SweepTemporaryFiles();
        if (swept > 0) logger.LogInformation("Removed {Count} unfinished session files from an earlier run", swept);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
