using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;
using MediatR;
using Microsoft.Extensions.Logging;

namespace IncodeSlices.Features.Approve;

/// <summary>
/// Approves a finished onboarding whose score is OK, creating the identity in Incode. Incode failing
/// is a 502, so that Incode redelivers the webhook; a session that did not pass is a 200 with an error.
/// </summary>
internal sealed class ApproveHandler(IIncodeApi incode, IAdminTokenProvider adminToken, TimeProvider clock, ILogger<ApproveHandler> logger)
    : IRequestHandler<ApproveRequest, ApproveResponse>
{
    public async Task<ApproveResponse> Handle(ApproveRequest request, CancellationToken ct)
    {
        var interviewId = IncodeWebhook.InterviewId(request.Payload);
        if (IncodeWebhook.OnboardingStatus(request.Payload) != IncodeWebhook.OnboardingFinished || interviewId is null)
            return new ApproveResponse(IncodeWebhook.Timestamp(clock), Success: true, Data: request.Payload);

        var admin = await adminToken.GetTokenAsync(ct);
        var score = await incode.GetScoreAsync(interviewId, admin, ct);
        if (!score.Passed)
        {
            logger.LogInformation("Interview {InterviewId} did not pass; not approved", interviewId);
            return new ApproveResponse(IncodeWebhook.Timestamp(clock), Success: false,
                Error: "Session didn't PASS, identity was not created");
        }

        var approval = await incode.ApproveAsync(interviewId, [], admin, ct);
        logger.LogInformation("Interview {InterviewId} approved", interviewId);
        return new ApproveResponse(IncodeWebhook.Timestamp(clock), Success: true, Data: approval);
    }
}
