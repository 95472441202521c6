using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Telemetry;
using MediatR;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Features.Webhook;

/// <summary>
/// Acknowledges every delivery. On ONBOARDING_FINISHED it looks the score up and logs whether the
/// user passed; that lookup failing is logged, never answered, so Incode does not redeliver for it.
/// </summary>
internal sealed class WebhookHandler(
    IIncodeAdminApi incode, FinishedSessions finished, TimeProvider clock, ServerMetrics metrics, ILogger<WebhookHandler> logger)
    : IRequestHandler<WebhookRequest, WebhookResponse>
{
    public async Task<WebhookResponse> Handle(WebhookRequest request, CancellationToken ct)
    {
        var interviewId = WebhookPayload.InterviewId(request.Payload);
        var status = WebhookPayload.OnboardingStatus(request.Payload);
        // Incode delivers one per step of every onboarding (LOG_LEVEL=debug shows them); the outcome is logged below.
        logger.LogDebug("Webhook: interview {InterviewId} is {OnboardingStatus}", interviewId, status);

        var outcome = WebhookOutcome.Echoed;
        if (status == WebhookPayload.OnboardingFinished)
        {
            if (string.IsNullOrEmpty(interviewId)) logger.LogWarning("Webhook: ONBOARDING_FINISHED without an interviewId; no score fetched");
            else
            {
                outcome = await LogScoreAsync(interviewId, ct);
                await finished.ForgetInterviewAsync(interviewId);
            }
        }

        metrics.WebhookDelivered(WebhookEndpoint.Route, outcome);
        return new WebhookResponse(WebhookPayload.Timestamp(clock), Success: true, request.Payload);
    }

    private async Task<WebhookOutcome> LogScoreAsync(string interviewId, CancellationToken ct)
    {
        try
        {
            var score = await incode.GetScoreAsync(interviewId, ct);
            logger.LogInformation("Interview {InterviewId} {Outcome}", interviewId, score.Passed ? "passed" : "did not pass");
            return score.Passed ? WebhookOutcome.Passed : WebhookOutcome.NotPassed;
        }
        catch (Exception ex) when (ErrorAnswers.For(ex) is { Status: 502 or 503 or 504 } failed)
        {
            logger.LogWarning("Webhook: score of interview {InterviewId} unavailable: {Reason}", interviewId, failed.Error);
            return WebhookOutcome.ScoreUnavailable;
        }
    }
}
