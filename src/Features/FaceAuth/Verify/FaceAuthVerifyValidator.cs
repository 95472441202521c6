using FastEndpoints;
using FluentValidation;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Features.FaceAuth.Verify;

internal sealed class FaceAuthVerifyValidator : Validator<FaceAuthVerifyRequest>
{
    public FaceAuthVerifyValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.InterviewId).NotEmpty().WithMessage("Missing required parameter interviewId")
            .MaximumLength(InterviewIds.MaxLength).WithMessage(InterviewIds.TooLong);
        RuleFor(r => r.Token).NotEmpty().WithMessage("Missing required parameter token")
            .MaximumLength(SessionTokens.MaxLength).WithMessage("token is too long");
        RuleFor(r => r.Candidate).NotEmpty().WithMessage("Missing required parameter candidate")
            .MaximumLength(InterviewIds.MaxLength).WithMessage("candidate is longer than 128 characters");
    }
}
