using FastEndpoints;
using FluentValidation;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Features.Auth;

internal sealed class AuthValidator : Validator<AuthRequest>
{
    public AuthValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.TransactionId).NotEmpty().WithMessage("Missing required parameter transactionId")
            .MaximumLength(SessionTokens.MaxLength).WithMessage("transactionId is too long");
        RuleFor(r => r.Token).NotEmpty().WithMessage("Missing required parameter token")
            .MaximumLength(SessionTokens.MaxLength).WithMessage("token is too long");
        RuleFor(r => r.InterviewToken).NotEmpty().WithMessage("Missing required parameter interviewToken")
            .MaximumLength(SessionTokens.MaxLength).WithMessage("interviewToken is too long");
    }
}
