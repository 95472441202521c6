using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Features.OnboardingUrl;

public sealed class RedirectionOptions
{
    /// <summary>The hosts a redirectionUrl may name (comma-separated); unset, any host.</summary>
    [ConfigurationKeyName("REDIRECT_ALLOWED_HOSTS")] public string? AllowedHosts { get; set; }
}
