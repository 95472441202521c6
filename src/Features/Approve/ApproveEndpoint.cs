using FastEndpoints;
using IncodeSlices.Features.Decisions;
using IncodeSlices.Features.WebhookAccess;
using IncodeSlices.Infrastructure.Incode;
using MediatR;

namespace IncodeSlices.Features.Approve;

internal sealed class ApproveEndpoint(IMediator mediator, DecisionIntake intake, TimeProvider clock) : Endpoint<ApproveRequest, ApproveResponse>
{
    public const string Route = "/approve";

    public override void Configure()
    {
        Post(Route);
        AllowAnonymous(); // Incode authenticates with WEBHOOK_SECRET or a bearer token, checked before the body is read
        Options(route => route.OnlyFromWebhookSources().RequireWebhookCredentials());
        Description(b => b.ProducesErrors(400, 401, 403, 413, 502, 503, 504));
        Summary(s => s.Summary = "Incode's onboarding-status webhook: approves a finished onboarding whose score is OK");
    }

    public override async Task HandleAsync(ApproveRequest req, CancellationToken ct)
    {
        if (intake.IsOn) // WEBHOOK_PROCESSING=durable: recorded now, approved in the background
        {
            var (interviewId, status) = (WebhookPayload.InterviewId(req.Payload), WebhookPayload.OnboardingStatus(req.Payload));
            await intake.RecordAsync(Route, interviewId, status, approves: true, ct);
            await Send.OkAsync(new ApproveResponse(WebhookPayload.Timestamp(clock), Success: true, DecisionIntake.Queued(interviewId, status)), ct);
            return;
        }
        await Send.OkAsync(await mediator.Send(req, ct), ct);
    }
}
