using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.OnboardingStatus;

internal sealed class OnboardingStatusEndpoint(IMediator mediator) : Endpoint<OnboardingStatusRequest, OnboardingStatusResponse>
{
    public override void Configure()
    {
        Get("/onboarding-status");
        AllowAnonymous();
        Description(b => b.ProducesErrors(400, 502, 503, 504));
        Summary(s => s.Summary = "Incode's onboarding status of an interview (needs ADMIN_TOKEN)");
    }

    public override async Task HandleAsync(OnboardingStatusRequest req, CancellationToken ct)
        => await Send.OkAsync(await mediator.Send(req, ct), ct);
}
