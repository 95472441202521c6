using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// /start and /onboarding-url tell it of each session they start: with durable processing, the
/// session is watched for reconciliation. Failing to watch it never fails the session, which is billed already.
/// </summary>
internal sealed class SessionWatch(IServiceProvider services, IOptions<DecisionOptions> options, TimeProvider clock, DecisionWakeups wakeups,
    ILogger<SessionWatch> logger)
{
    public async Task StartedAsync(string interviewId, CancellationToken ct)
    {
        if (!options.Value.IsDurable) return;
        try
        {
            var now = clock.GetUtcNow();
            await services.GetRequiredService<IDecisionStore>().WatchAsync(new Watch(interviewId, now), now + options.Value.ReconcileAfter, ct);
            wakeups.Watches.Wake();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Interview {InterviewId} is not watched for reconciliation: {Reason}", interviewId, ex.GetType().Name);
        }
    }
}
