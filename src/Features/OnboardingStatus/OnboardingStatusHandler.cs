using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Incode;
using MediatR;

namespace IncodeSlices.Features.OnboardingStatus;

internal sealed class OnboardingStatusHandler(IIncodeAdminApi incode, SessionAccess access)
    : IRequestHandler<OnboardingStatusRequest, OnboardingStatusResponse>
{
    public async Task<OnboardingStatusResponse> Handle(OnboardingStatusRequest request, CancellationToken ct)
    {
        // Read with the admin token: with callers known, only for the interview's own user (or the back office).
        await access.RequireInterviewAsync(request.Caller, request.InterviewId, ct);
        var status = await incode.GetOnboardingStatusAsync(request.InterviewId, ct);
        return string.IsNullOrEmpty(status.OnboardingStatus)
            ? throw IncodeCallException.MissingField(IncodePaths.OnboardingStatus, "onboardingStatus")
            : new OnboardingStatusResponse(Success: true, status.OnboardingStatus);
    }
}
