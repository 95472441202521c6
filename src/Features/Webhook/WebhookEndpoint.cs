using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.Webhook;

internal sealed class WebhookEndpoint(IMediator mediator) : Endpoint<WebhookRequest, WebhookResponse>
{
    public const string Route = "/webhook";

    public override void Configure()
    {
        Post(Route);
        AuthSchemes(WebhookAuthentication.Scheme); // open unless WEBHOOK_SECRET is set
        Description(b => b.ClearDefaultProduces(403).ProducesErrors(400, 401, 413)); // never 403: a wrong secret is a 401
        Summary(s => s.Summary = "Incode's onboarding-status webhook: echoes it, and logs the score of a finished onboarding");
    }

    public override async Task HandleAsync(WebhookRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
