using FastEndpoints;
using FluentValidation;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Features.Finish;

internal sealed class FinishValidator : Validator<FinishRequest>
{
    public FinishValidator()
    {
        RuleFor(r => r.Token).NotEmpty().WithMessage("Missing required parameter token")
            .MaximumLength(SessionTokens.MaxLength).WithMessage("token is too long");
    }
}
