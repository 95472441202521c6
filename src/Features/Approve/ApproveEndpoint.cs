using FastEndpoints;
using IncodeSlices.Features.Webhook;
using MediatR;

namespace IncodeSlices.Features.Approve;

internal sealed class ApproveEndpoint(IMediator mediator) : Endpoint<ApproveRequest, ApproveResponse>
{
    public const string Route = "/approve";

    public override void Configure()
    {
        Post(Route);
        AuthSchemes(WebhookAuthentication.Scheme); // open unless WEBHOOK_SECRET is set
        Description(b => b.ClearDefaultProduces(403).ProducesErrors(400, 401, 413, 502, 503, 504)); // never 403: a wrong secret is a 401
        Summary(s => s.Summary = "Incode's onboarding-status webhook: approves a finished onboarding whose score is OK");
    }

    public override async Task HandleAsync(ApproveRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
