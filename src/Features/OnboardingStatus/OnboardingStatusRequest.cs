using IncodeSlices.Infrastructure.Callers;
using MediatR;

namespace IncodeSlices.Features.OnboardingStatus;

public sealed record OnboardingStatusRequest : IRequest<OnboardingStatusResponse>
{
    public string InterviewId { get; init; } = "";

    /// <summary>The app's user, when caller authentication is on (set by the endpoint, never bound from the request).</summary>
    internal Caller? Caller { get; init; }
}
