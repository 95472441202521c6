using System.Text.Json.Nodes;
using IncodeSlices.Features.Decisions;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Telemetry;
using MediatR;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Features.Approve;

/// <summary>
/// Approves a finished onboarding whose score is OK, creating the identity in Incode, once per
/// interview however often Incode delivers the webhook: later deliveries answer the first outcome.
/// Incode failing is a 502 and frees the interview again, so that Incode's redelivery retries it;
/// a session that did not pass is a 200 with an error, and that outcome stands too.
/// </summary>
internal sealed class ApproveHandler(
    IIncodeAdminApi incode, ApprovalLedger ledger, FinishedSessions finished, TimeProvider clock, ServerMetrics metrics, ILogger<ApproveHandler> logger)
    : IRequestHandler<ApproveRequest, ApproveResponse>
{
    private const string DidNotPass = "Session didn't PASS, identity was not created";

    public async Task<ApproveResponse> Handle(ApproveRequest request, CancellationToken ct)
    {
        var (response, outcome) = await ApproveOnceAsync(request, ct);
        metrics.WebhookDelivered(ApproveEndpoint.Route, outcome);
        return response;
    }

    private async Task<(ApproveResponse, WebhookOutcome)> ApproveOnceAsync(ApproveRequest request, CancellationToken ct)
    {
        var interviewId = WebhookPayload.InterviewId(request.Payload);
        if (WebhookPayload.OnboardingStatus(request.Payload) != WebhookPayload.OnboardingFinished || interviewId is null)
            return (new ApproveResponse(WebhookPayload.Timestamp(clock), Success: true, Data: request.Payload), WebhookOutcome.Echoed);

        var (outcome, decidedHere) = await ledger.FindOutcomeAsync(interviewId, ct) is { } earlier
            ? (earlier, false)
            : await DecideOnceAsync(interviewId, ct);
        var answer = Answer(outcome);
        await finished.ForgetInterviewAsync(interviewId);
        return (answer, !decidedHere ? WebhookOutcome.Duplicate : answer.Success ? WebhookOutcome.Approved : WebhookOutcome.NotPassed);
    }

    /// <summary>The interview's outcome, and whether this delivery decided it (rather than another one).</summary>
    private async Task<(JsonObject Outcome, bool DecidedHere)> DecideOnceAsync(string interviewId, CancellationToken ct)
    {
        if (!await ledger.TryClaimAsync(interviewId, ct))
        {
            logger.LogInformation("Interview {InterviewId} is being approved by another delivery; waiting for its outcome", interviewId);
            return (await ledger.WaitForOutcomeAsync(interviewId, ct), false);
        }

        try
        {
            // The claim may have been freed by a holder that had just recorded its outcome.
            if (await ledger.FindOutcomeAsync(interviewId, ct) is { } recorded)
            {
                await ledger.ReleaseAsync(interviewId, ct);
                return (recorded, false);
            }

            var outcome = await DecideAsync(interviewId, ct);
            await ledger.RecordAsync(interviewId, outcome, ct);
            return (outcome, true);
        }
        catch
        {
            await ledger.ReleaseAsync(interviewId, ct);
            throw;
        }
    }

    private async Task<JsonObject> DecideAsync(string interviewId, CancellationToken ct)
    {
        var score = await incode.GetScoreAsync(interviewId, ct);
        if (!score.Passed)
        {
            logger.LogInformation("Interview {InterviewId} did not pass; not approved", interviewId);
            return new JsonObject { ["success"] = false, ["error"] = DidNotPass };
        }

        var approval = await incode.ApproveAsync(interviewId, [], ct);
        logger.LogInformation("Interview {InterviewId} approved", interviewId);
        return new JsonObject { ["success"] = true, ["data"] = approval };
    }

    private ApproveResponse Answer(JsonObject outcome) =>
        outcome["success"]?.GetValue<bool>() == true
            ? new ApproveResponse(WebhookPayload.Timestamp(clock), Success: true, Data: outcome["data"]?.DeepClone().AsObject())
            : new ApproveResponse(WebhookPayload.Timestamp(clock), Success: false, Error: outcome["error"]?.GetValue<string>() ?? DidNotPass);
}
