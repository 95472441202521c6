using FastEndpoints;
using FluentValidation;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Features.OnboardingStatus;

internal sealed class OnboardingStatusValidator : Validator<OnboardingStatusRequest>
{
    public OnboardingStatusValidator()
    {
        RuleFor(r => r.InterviewId).NotEmpty().WithMessage("Missing required parameter interviewId")
            .MaximumLength(InterviewIds.MaxLength).WithMessage(InterviewIds.TooLong);
    }
}
