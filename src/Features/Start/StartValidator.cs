using FastEndpoints;
using FluentValidation;
using IncodeSlices.Infrastructure.Sessions;

namespace IncodeSlices.Features.Start;

internal sealed class StartValidator : Validator<StartRequest>
{
    public StartValidator()
    {
        // Checked before any path is built from it: only a lower-case canonical UUID names a session file.
        RuleFor(r => r.ResumeId)
            .Must(id => id is null || SessionIds.IsCanonical(id))
            .WithMessage("Invalid uniqueId");
    }
}
