using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Features.OnboardingUrl;

internal sealed class OnboardingUrlValidator : Validator<OnboardingUrlRequest>
{
    public OnboardingUrlValidator(IConfiguration configuration)
    {
        var rule = RedirectionUrlRule.FromSetting(configuration["REDIRECT_ALLOWED_HOSTS"]);
        RuleFor(r => r.RedirectionUrl)
            .Must(rule.Allows)
            .WithMessage("Invalid redirectionUrl: it must be an absolute https URL (http only to localhost) of an allowed host");
    }
}
