using FastEndpoints;
using FluentValidation;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Features.FetchScore;

internal sealed class FetchScoreValidator : Validator<FetchScoreRequest>
{
    public FetchScoreValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.InterviewId).NotEmpty().WithMessage("Missing required parameter interviewId")
            .MaximumLength(InterviewIds.MaxLength).WithMessage(InterviewIds.TooLong);
        RuleFor(r => r.Token).NotEmpty().WithMessage("Missing required header X-Token")
            .MaximumLength(SessionTokens.MaxLength).WithMessage("X-Token is too long")
            .Must(SessionTokens.IsSendable).WithMessage("Invalid session token");
    }
}
