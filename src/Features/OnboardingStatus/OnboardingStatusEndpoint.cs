using FastEndpoints;
using IncodeSlices.Infrastructure.Callers;
using MediatR;

namespace IncodeSlices.Features.OnboardingStatus;

internal sealed class OnboardingStatusEndpoint(IMediator mediator) : Endpoint<OnboardingStatusRequest, OnboardingStatusResponse>
{
    public override void Configure()
    {
        Get("/onboarding-status");
        AllowAnonymous();
        Options(route => route.RequireCaller(CallerNeed.OwnedSession));
        Description(b => b.ProducesErrors(400, 401, 404, 502, 503, 504));
        Summary(s => s.Summary = "Incode's onboarding status of an interview (needs ADMIN_TOKEN)");
    }

    public override async Task HandleAsync(OnboardingStatusRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req with { Caller = Caller.Of(HttpContext) }, ct), ct);
}
