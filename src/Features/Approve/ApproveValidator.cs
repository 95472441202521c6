using FastEndpoints;
using FluentValidation;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Features.Approve;

internal sealed class ApproveValidator : Validator<ApproveRequest>
{
    public ApproveValidator()
    {
        // Only a finished onboarding leads to Incode calls, and those need the interview.
        RuleFor(r => WebhookPayload.InterviewId(r.Payload))
            .NotEmpty().WithMessage("Missing required parameter interviewId")
            .MaximumLength(InterviewIds.MaxLength).WithMessage(InterviewIds.TooLong)
            .When(r => WebhookPayload.OnboardingStatus(r.Payload) == WebhookPayload.OnboardingFinished);
    }
}
