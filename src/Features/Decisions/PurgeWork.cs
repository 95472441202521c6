using System.Globalization;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// Works one purge taken from the queue (PURGE_PII): with <c>on</c>, Incode is asked to delete the
/// interview's personal data (<c>DELETE /omni/interviews</c>, admin headers, the body of Incode's own
/// purge sample); with <c>dry-run</c>, it is only logged. Either way it is then over, and the interview
/// never queued again. Incode failing in a way that may pass is tried again with the decisions'
/// backoff until DECISION_GIVE_UP_HOURS after the purge came due; a refusal (another 4xx) is given up
/// at once. A purge cannot be undone: nothing here retries what Incode answered 2xx.
/// </summary>
internal sealed class PurgeWork(
    IDecisionStore store, IIncodeAdminApi incode, IOptions<DecisionOptions> options, TimeProvider clock, ServerMetrics metrics,
    ILogger<PurgeWork> logger)
{
    private readonly DecisionOptions _options = options.Value;

    public async Task PurgeAsync(Purge purge, CancellationToken ct)
    {
        if (!_options.PurgesForReal)
        {
            logger.LogInformation("Interview {InterviewId}: would purge its personal data at Incode (PURGE_PII=dry-run)", purge.InterviewId);
            await store.EndPurgeAsync(purge, clock.GetUtcNow(), ct);
            metrics.PiiPurged("dry_run");
            return;
        }

        try
        {
            await incode.PurgeAsync(IncodePurge.PersonalDataOf(purge.InterviewId), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var (passing, reason) = DeliveryWork.Failure(ex);
            var now = clock.GetUtcNow();
            var elapsed = now - purge.Due;
            if (passing && elapsed < _options.GiveUp)
            {
                var wait = _options.Backoff(elapsed);
                logger.LogWarning("Interview {InterviewId}: personal data not purged: {Reason}; trying again in {Seconds} s",
                    purge.InterviewId, reason, (int)wait.TotalSeconds);
                await store.RetryPurgeAsync(purge, now + wait, ct);
                metrics.PiiPurged("retried");
                return;
            }
            if (passing) reason = $"{reason}; given up after {_options.GiveUpHours.ToString("0.##", CultureInfo.InvariantCulture)} h";
            logger.LogWarning("Interview {InterviewId}: personal data not purged: {Reason}; given up", purge.InterviewId, reason);
            await store.EndPurgeAsync(purge, now, ct);
            metrics.PiiPurged("given_up");
            return;
        }

        logger.LogInformation("Interview {InterviewId}: personal data purged at Incode", purge.InterviewId);
        try
        {
            await store.EndPurgeAsync(purge, clock.GetUtcNow(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Taken again when its claim runs out, and purged again: deleting what is gone already is harmless.
            logger.LogWarning("Interview {InterviewId}: purge not marked done ({Reason})", purge.InterviewId, ex.GetType().Name);
        }
        metrics.PiiPurged("purged");
    }
}
