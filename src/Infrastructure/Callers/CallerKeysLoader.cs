using Microsoft.Extensions.Hosting;

namespace IncodeSlices.Infrastructure.Callers;

/// <summary>
/// Loads the issuer's keys beside start-up, never before it: an issuer that is down does not keep the
/// server from starting. Tried again every few seconds until it answers.
/// </summary>
internal sealed class CallerKeysLoader(CallerKeys keys, TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan Again = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            while (!await keys.TryLoadAsync(stoppingToken)) await Task.Delay(Again, clock, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
