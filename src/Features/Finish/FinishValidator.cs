using FastEndpoints;
using FluentValidation;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Features.Finish;

internal sealed class FinishValidator : Validator<FinishRequest>
{
    public FinishValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Token).NotEmpty().WithMessage("Missing required parameter token")
            .MaximumLength(SessionTokens.MaxLength).WithMessage("token is too long")
            .Must(SessionTokens.IsSendable).WithMessage("Invalid session token");
    }
}
