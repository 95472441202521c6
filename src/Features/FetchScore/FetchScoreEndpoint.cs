using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.FetchScore;

internal sealed class FetchScoreEndpoint(IMediator mediator) : Endpoint<FetchScoreRequest, FetchScoreResponse>
{
    public override void Configure()
    {
        Get("/fetch-score");
        AllowAnonymous(); // FastEndpoints is secure by default
        Description(b => b.ProducesErrors(400, 502, 504));
        Summary(s => s.Summary = "OK when Incode's overall score status is OK, otherwise FAIL");
    }

    public override async Task HandleAsync(FetchScoreRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
