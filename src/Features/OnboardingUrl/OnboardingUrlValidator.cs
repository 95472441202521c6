using FastEndpoints;
using FluentValidation;

namespace IncodeSlices.Features.OnboardingUrl;

internal sealed class OnboardingUrlValidator : Validator<OnboardingUrlRequest>
{
    public OnboardingUrlValidator()
    {
        // FastEndpoints keeps one validator per endpoint for the whole process, so only the
        // configuration-free part of the rule lives here; the handler checks REDIRECT_ALLOWED_HOSTS.
        RuleFor(r => r.RedirectionUrl).Must(RedirectionUrlRule.IsWellFormed).WithMessage(RedirectionUrlRule.Refusal);
    }
}
