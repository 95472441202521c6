using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.Decisions;

/// <summary>
/// Works one delivery taken from the queue: the decision it leads to, if any, as /webhook and
/// /approve would reach it inline (the score with the admin token; on /approve a passing score
/// approved once, through Approve's ledger), then settled. Incode failing in a way that may pass is
/// tried again later, until DECISION_GIVE_UP_HOURS after the delivery came; a refusal (another 4xx)
/// is an <c>error</c> decision at once. An interview's stage decided already is never decided again.
/// A decision names the session's <c>externalCustomerId</c> where this server started it with one;
/// a finished onboarding's stored session token is forgotten (it is a credential, and no longer needed).
/// </summary>
internal sealed class DeliveryWork(
    IDecisionStore store, IIncodeAdminApi incode, ApprovalLedger ledger, ISessionStore sessions, FinishedSessions finished, IOptions<DecisionOptions> options,
    TimeProvider clock, DecisionWakeups wakeups, ServerMetrics metrics, ILogger<DeliveryWork> logger)
{
    // The words inline /approve records for a session that did not pass, so both read each other's outcome.
    private const string DidNotPass = "Session didn't PASS, identity was not created";

    private readonly DecisionOptions _options = options.Value;

    public async Task WorkAsync(Delivery delivery, CancellationToken ct)
    {
        Decision? decision;
        try
        {
            decision = await DecideAsync(delivery, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var (passing, reason) = Failure(ex);
            var now = clock.GetUtcNow();
            var elapsed = now - delivery.ReceivedAt;
            if (passing && elapsed < _options.GiveUp)
            {
                var wait = _options.Backoff(elapsed);
                logger.LogWarning("Interview {InterviewId}: {Reason}; trying again in {Seconds} s", delivery.InterviewId, reason, (int)wait.TotalSeconds);
                await store.RetryDeliveryAsync(delivery, now + wait, ct);
                metrics.DeliveryWorked("retried");
                return;
            }
            if (passing)
            {
                metrics.DecisionGivenUp("delivery");
                reason = $"Given up after {_options.GiveUpHours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} h: {reason}";
            }
            logger.LogWarning("Interview {InterviewId}: {Reason}; decided as an error", delivery.InterviewId, reason);
            decision = Decide(delivery, DecisionStatuses.OnboardingStage, "error", score: null, identityId: null, reason);
        }

        bool added;
        SessionOwnership? owner = null;
        try
        {
            // Read before the decision is kept, so that it is kept (and relayed) whole.
            if (decision is not null) owner = await sessions.FindInterviewAsync(decision.InterviewId, ct);
            if (owner?.ExternalCustomerId is { } customer) decision = decision! with { ExternalCustomerId = customer };
            var now = clock.GetUtcNow();
            added = await store.SettleAsync(delivery, decision, _options.Relays, _options.Purges ? now + _options.PurgeAfter : null, now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Nothing of it is half-kept: worked again, the decision is found made or made now.
            logger.LogWarning("Interview {InterviewId}: decision not recorded ({Reason}); trying again in {Seconds} s",
                delivery.InterviewId, ex.GetType().Name, (int)_options.RetryFirst.TotalSeconds);
            await store.RetryDeliveryAsync(delivery, clock.GetUtcNow() + _options.RetryFirst, ct);
            metrics.DeliveryWorked("retried");
            return;
        }

        if (delivery.Status == DecisionStatuses.OnboardingFinished && decision is not null) await finished.ForgetAsync(owner); // a failure is only logged: the decision stands either way

        if (added && decision is not null)
        {
            logger.LogInformation("Interview {InterviewId}: {Outcome} ({Source})", decision.InterviewId, decision.Outcome, decision.Source);
            metrics.Decided(decision.Outcome, decision.Source);
            metrics.DeliveryWorked("decided");
            if (_options.Relays) wakeups.Relay.Wake();
            if (_options.Purges) wakeups.Purges.Wake();
            return;
        }
        metrics.DeliveryWorked("nothing_to_decide");
    }

    private async Task<Decision?> DecideAsync(Delivery delivery, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(delivery.InterviewId)) return null;
        var interviewId = delivery.InterviewId;
        switch (delivery.Status)
        {
            case DecisionStatuses.OnboardingFinished:
                // After a manual review, a finished onboarding delivered (again) would be a step back.
                if (await store.IsDecidedAsync(Decision.IdFor(interviewId, DecisionStatuses.OnboardingStage), ct)
                    || await store.IsDecidedAsync(Decision.IdFor(interviewId, DecisionStatuses.ReviewStage), ct)) return null;
                return delivery.Approves ? await ApproveAsync(delivery, interviewId, ct) : await ScoreAsync(delivery, interviewId, ct);
            case DecisionStatuses.ManualReviewApproved or DecisionStatuses.ManualReviewRejected:
                if (await store.IsDecidedAsync(Decision.IdFor(interviewId, DecisionStatuses.ReviewStage), ct)) return null;
                var outcome = delivery.Status == DecisionStatuses.ManualReviewApproved ? "manual_review_approved" : "manual_review_rejected";
                return Decide(delivery, DecisionStatuses.ReviewStage, outcome, score: null, identityId: null);
            default:
                return null; // a step of the onboarding: nothing to decide
        }
    }

    private async Task<Decision> ScoreAsync(Delivery delivery, string interviewId, CancellationToken ct)
    {
        var score = await incode.GetScoreAsync(interviewId, ct);
        return Decide(delivery, DecisionStatuses.OnboardingStage, score.Passed ? "passed" : "rejected", score.Overall?.Status, identityId: null);
    }

    /// <summary>As /approve inline: one claim in Approve's ledger per interview, the outcome recorded there for every later delivery.</summary>
    private async Task<Decision> ApproveAsync(Delivery delivery, string interviewId, CancellationToken ct)
    {
        if (await ledger.FindOutcomeAsync(interviewId, ct) is { } earlier) return FromLedger(delivery, earlier, score: null);
        if (!await ledger.TryClaimAsync(interviewId, ct)) throw new TryAgainLaterException(ErrorAnswers.ApprovalInProgress);
        try
        {
            if (await ledger.FindOutcomeAsync(interviewId, ct) is { } recorded)
            {
                await ledger.ReleaseAsync(interviewId, ct);
                return FromLedger(delivery, recorded, score: null);
            }

            var score = await incode.GetScoreAsync(interviewId, ct);
            var outcome = score.Passed
                ? new JsonObject { ["success"] = true, ["data"] = await incode.ApproveAsync(interviewId, [], ct) }
                : new JsonObject { ["success"] = false, ["error"] = DidNotPass };
            await ledger.RecordAsync(interviewId, outcome, ct);
            return FromLedger(delivery, outcome, score.Overall?.Status);
        }
        catch
        {
            await ledger.ReleaseAsync(interviewId, ct);
            throw;
        }
    }

    private Decision FromLedger(Delivery delivery, JsonObject outcome, string? score) =>
        outcome["success"]?.GetValue<bool>() == true
            ? Decide(delivery, DecisionStatuses.OnboardingStage, "approved", score ?? "OK", outcome["data"]?["uuid"]?.GetValue<string>())
            : Decide(delivery, DecisionStatuses.OnboardingStage, "rejected", score, identityId: null);

    private Decision Decide(Delivery delivery, string stage, string outcome, string? score, string? identityId, string? reason = null) => new(
        Decision.IdFor(delivery.InterviewId!, stage), delivery.InterviewId!, outcome, score, identityId, delivery.Status!, delivery.Source,
        Decision.Timestamp(clock.GetUtcNow()), reason);

    /// <summary>Whether the failure may pass by itself (Incode 5xx, 408, 429, a timeout, no connection, the store away), in our words.</summary>
    internal static (bool Passing, string Reason) Failure(Exception ex)
    {
        if (IncodeCallException.Find(ex) is { } call)
        {
            var refused = call is { Failure: IncodeFailure.Status, Status: >= 400 and < 500 and not 408 and not 429 };
            return (!refused, call.Answer.Error);
        }
        return (true, ErrorAnswers.For(ex).Error);
    }
}
