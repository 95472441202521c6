using FastEndpoints;
using IncodeSlices.Features.Decisions;
using IncodeSlices.Features.WebhookAccess;
using IncodeSlices.Infrastructure.Incode;
using MediatR;

namespace IncodeSlices.Features.Webhook;

internal sealed class WebhookEndpoint(IMediator mediator, DecisionIntake intake, TimeProvider clock) : Endpoint<WebhookRequest, WebhookResponse>
{
    public const string Route = "/webhook";

    public override void Configure()
    {
        Post(Route);
        AllowAnonymous(); // Incode authenticates with WEBHOOK_SECRET or a bearer token, checked before the body is read
        Options(route => route.OnlyFromWebhookSources().RequireWebhookCredentials());
        Description(b => b.ProducesErrors(400, 401, 403, 413));
        Summary(s => s.Summary = "Incode's onboarding-status webhook: echoes it, and logs the score of a finished onboarding");
    }

    public override async Task HandleAsync(WebhookRequest req, CancellationToken ct)
    {
        if (intake.IsOn) // WEBHOOK_PROCESSING=durable: recorded now, scored in the background
        {
            await intake.RecordAsync(Route, WebhookPayload.InterviewId(req.Payload), WebhookPayload.OnboardingStatus(req.Payload), approves: false, ct);
            await Send.OkAsync(new WebhookResponse(WebhookPayload.Timestamp(clock), Success: true, req.Payload), ct);
            return;
        }
        await Send.OkAsync(await mediator.Send(req, ct), ct);
    }
}
