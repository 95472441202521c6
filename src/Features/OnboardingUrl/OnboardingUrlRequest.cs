using IncodeSlices.Infrastructure.Callers;
using MediatR;

namespace IncodeSlices.Features.OnboardingUrl;

public sealed record OnboardingUrlRequest : IRequest<OnboardingUrlResponse>
{
    /// <summary>Where Incode sends the user when the onboarding ends (absolute https, or http to localhost).</summary>
    public string? RedirectionUrl { get; init; }

    /// <summary>The app's user, when caller authentication is on (set by the endpoint, never bound from the request).</summary>
    internal Caller? Caller { get; init; }
}
