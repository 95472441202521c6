using FastEndpoints;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.SessionBudget;
using MediatR;

namespace IncodeSlices.Features.OnboardingUrl;

internal sealed class OnboardingUrlEndpoint(IMediator mediator) : Endpoint<OnboardingUrlRequest, OnboardingUrlResponse>
{
    public const string Route = "/onboarding-url";

    public override void Configure()
    {
        Get(Route);
        AllowAnonymous();
        Options(route => route.RequireSessionBudget().RequireCaller(CallerNeed.NewSession)); // each new session is billed
        Description(b => b.ProducesErrors(400, 401, 429, 502, 503, 504));
        Summary(s => s.Summary = "Creates an Incode session and the URL of its hosted onboarding");
    }

    public override async Task HandleAsync(OnboardingUrlRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req with { Caller = Caller.Of(HttpContext) }, ct), ct);
}
