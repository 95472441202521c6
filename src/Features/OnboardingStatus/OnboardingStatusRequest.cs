using MediatR;

namespace IncodeSlices.Features.OnboardingStatus;

public sealed record OnboardingStatusRequest : IRequest<OnboardingStatusResponse>
{
    public string InterviewId { get; init; } = "";
}
