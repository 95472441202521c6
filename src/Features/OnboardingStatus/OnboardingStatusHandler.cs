using IncodeSlices.Infrastructure.Incode;
using MediatR;

namespace IncodeSlices.Features.OnboardingStatus;

internal sealed class OnboardingStatusHandler(IIncodeAdminApi incode)
    : IRequestHandler<OnboardingStatusRequest, OnboardingStatusResponse>
{
    public async Task<OnboardingStatusResponse> Handle(OnboardingStatusRequest request, CancellationToken ct)
    {
        var status = await incode.GetOnboardingStatusAsync(request.InterviewId, ct);
        return string.IsNullOrEmpty(status.OnboardingStatus)
            ? throw IncodeCallException.MissingField(IncodePaths.OnboardingStatus, "onboardingStatus")
            : new OnboardingStatusResponse(Success: true, status.OnboardingStatus);
    }
}
