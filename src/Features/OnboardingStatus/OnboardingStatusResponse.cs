namespace IncodeSlices.Features.OnboardingStatus;

public sealed record OnboardingStatusResponse(bool Success, string OnboardingStatus);
