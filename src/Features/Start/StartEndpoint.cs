using FastEndpoints;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.SessionBudget;
using MediatR;

namespace IncodeSlices.Features.Start;

internal sealed class StartEndpoint(IMediator mediator) : Endpoint<StartRequest, StartResponse>
{
    public const string Route = "/start";

    public override void Configure()
    {
        Get(Route);
        AllowAnonymous();
        Options(route => route.RequireSessionBudget().RequireCaller(CallerNeed.NewOrResumedSession)); // each new session is billed
        Description(b => b.ProducesErrors(400, 401, 404, 429, 502, 503, 504));
        Summary(s =>
        {
            s.Summary = "Creates an Incode session, or resumes a stored one with ?uniqueId=";
            s.Description = "Without uniqueId this creates a billable Incode session and stores it under a new uniqueId.";
        });
    }

    public override async Task HandleAsync(StartRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req with { Caller = Caller.Of(HttpContext) }, ct), ct);
}
