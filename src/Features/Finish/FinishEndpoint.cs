using System.Text.Json.Nodes;
using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.Finish;

internal sealed class FinishEndpoint(IMediator mediator) : Endpoint<FinishRequest, JsonObject>
{
    public override void Configure()
    {
        Post("/finish");
        AllowAnonymous();
        Description(b => b.ProducesErrors(400, 413, 502, 504));
        Summary(s => s.Summary = "Finishes an Incode session; answers Incode's {redirectionUrl, action}");
    }

    public override async Task HandleAsync(FinishRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
