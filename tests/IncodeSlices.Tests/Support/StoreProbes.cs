using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Tests.Support;

public static class StoreProbes
{
    /// <summary>
    /// Lets the store readiness probe's interval pass on the test clock and returns once the probe has
    /// reported: what the server believes of its store from then on.
    /// </summary>
    public static async Task StoreProbedAsync(this TestApp app)
    {
        var readiness = app.Services.GetRequiredService<StoreReadiness>();
        var before = readiness.Probes;
        app.Clock.Advance(StoreReadinessProbe.Interval);
        await Task.Run(() => Assert.True(SpinWait.SpinUntil(() => readiness.Probes > before, TimeSpan.FromMinutes(1)), "the store was not probed"));
    }
}
