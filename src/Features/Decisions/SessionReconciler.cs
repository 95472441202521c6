using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// Webhooks that never came: a session started here with no decision RECONCILE_AFTER_SECONDS after it
/// started is asked about at Incode (its onboarding status, with the admin token) every
/// RECONCILE_EVERY_SECONDS until the session's lifetime ends. A finished onboarding found is queued as
/// if its webhook had come (<c>source: reconciled</c>), scored or approved as RECONCILE_ACTION says.
/// </summary>
internal sealed class SessionReconciler(
    IDecisionStore store, IIncodeAdminApi incode, IOptions<DecisionOptions> options, IOptions<StoreOptions> sessions, TimeProvider clock,
    DecisionWakeups wakeups, ILogger<SessionReconciler> logger)
{
    private readonly DecisionOptions _options = options.Value;

    public async Task CheckAsync(Watch watch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await IsDecidedAsync(watch.InterviewId, ct) || now >= watch.StartedAt + sessions.Value.SessionTtl)
        {
            await store.EndWatchAsync(watch, ct);
            return;
        }

        try
        {
            var status = await incode.GetOnboardingStatusAsync(watch.InterviewId, ct);
            if (status.OnboardingStatus == DecisionStatuses.OnboardingFinished)
            {
                logger.LogInformation("Interview {InterviewId}: finished onboarding found without its webhook", watch.InterviewId);
                await store.AddDeliveryAsync(Delivery.FoundFinished(watch.InterviewId, _options.ReconcileApproves, now), ct);
                await store.EndWatchAsync(watch, ct);
                wakeups.Deliveries.Wake();
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Interview {InterviewId}: status not found out: {Reason}", watch.InterviewId, ErrorAnswers.For(ex).Error);
        }
        await store.RetryWatchAsync(watch, now + _options.ReconcileEvery, ct);
    }

    private async Task<bool> IsDecidedAsync(string interviewId, CancellationToken ct) =>
        await store.IsDecidedAsync(Decision.IdFor(interviewId, DecisionStatuses.OnboardingStage), ct)
        || await store.IsDecidedAsync(Decision.IdFor(interviewId, DecisionStatuses.ReviewStage), ct);
}
