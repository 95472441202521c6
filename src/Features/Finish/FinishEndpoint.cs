using System.Text.Json.Nodes;
using FastEndpoints;
using IncodeSlices.Infrastructure.Callers;
using MediatR;

namespace IncodeSlices.Features.Finish;

internal sealed class FinishEndpoint(IMediator mediator) : Endpoint<FinishRequest, JsonObject>
{
    public override void Configure()
    {
        Post("/finish");
        AllowAnonymous();
        Options(route => route.RequireCaller(CallerNeed.OwnedSession));
        Description(b => b.ProducesErrors(400, 401, 404, 413, 502, 503, 504));
        Summary(s => s.Summary = "Finishes an Incode session; answers Incode's {redirectionUrl, action}");
    }

    public override async Task HandleAsync(FinishRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req with { Caller = Caller.Of(HttpContext) }, ct), ct);
}
