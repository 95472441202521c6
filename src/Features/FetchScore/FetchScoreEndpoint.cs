using FastEndpoints;
using IncodeSlices.Infrastructure.Callers;
using MediatR;

namespace IncodeSlices.Features.FetchScore;

internal sealed class FetchScoreEndpoint(IMediator mediator) : Endpoint<FetchScoreRequest, FetchScoreResponse>
{
    public override void Configure()
    {
        Get("/fetch-score");
        AllowAnonymous(); // FastEndpoints is secure by default; CALLER_JWT_AUTHORITY is checked by our own middleware
        Options(route => route.RequireCaller(CallerNeed.OwnedSession));
        Description(b => b.ProducesErrors(400, 401, 404, 502, 503, 504));
        Summary(s => s.Summary = "OK when Incode's overall score status is OK, otherwise FAIL");
    }

    public override async Task HandleAsync(FetchScoreRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req with { Caller = Caller.Of(HttpContext) }, ct), ct);
}
