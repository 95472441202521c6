using MediatR;

namespace IncodeSlices.Features.OnboardingUrl;

public sealed record OnboardingUrlRequest : IRequest<OnboardingUrlResponse>
{
    /// <summary>Where Incode sends the user when the onboarding ends (absolute https, or http to localhost).</summary>
    public string? RedirectionUrl { get; init; }
}
