using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.Webhook;

internal sealed class WebhookEndpoint(IMediator mediator) : Endpoint<WebhookRequest, WebhookResponse>
{
    public override void Configure()
    {
        Post("/webhook");
        AllowAnonymous();
        Description(b => b.ProducesErrors(400, 413));
        Summary(s => s.Summary = "Incode's onboarding-status webhook: echoes it, and logs the score of a finished onboarding");
    }

    public override async Task HandleAsync(WebhookRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
