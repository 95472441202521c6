using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Features.WebhookAccess;

public sealed class WebhookOAuthOptions
{
    /// <summary>The client Incode is given in its dashboard; with the secret, it turns the token endpoint on.</summary>
    [ConfigurationKeyName("WEBHOOK_OAUTH_CLIENT_ID")] public string? ClientId { get; set; }

    [ConfigurationKeyName("WEBHOOK_OAUTH_CLIENT_SECRET")] public string? ClientSecret { get; set; }

    /// <summary>Signs the tokens; unset, a key is derived from the client secret.</summary>
    [ConfigurationKeyName("WEBHOOK_OAUTH_SIGNING_KEY")] public string? SigningKey { get; set; }

    [ConfigurationKeyName("WEBHOOK_OAUTH_TOKEN_MINUTES")] public int TokenMinutes { get; set; } = 60;

    public bool IsSet => !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret);

    internal const int MinSecretLength = 16;
    internal const int MinSigningKeyLength = 32; // HS256 takes no key under 256 bits

    internal static OptionsBuilder<WebhookOAuthOptions> Validate(OptionsBuilder<WebhookOAuthOptions> options) => options
        .Validate(o => string.IsNullOrEmpty(o.ClientId) == string.IsNullOrEmpty(o.ClientSecret),
            "WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET must be set together.")
        .Validate(o => string.IsNullOrEmpty(o.ClientSecret) || o.ClientSecret.Length >= MinSecretLength,
            $"WEBHOOK_OAUTH_CLIENT_SECRET must be at least {MinSecretLength} characters.")
        .Validate(o => string.IsNullOrEmpty(o.SigningKey) || o.IsSet,
            "WEBHOOK_OAUTH_SIGNING_KEY needs WEBHOOK_OAUTH_CLIENT_ID and WEBHOOK_OAUTH_CLIENT_SECRET.")
        .Validate(o => string.IsNullOrEmpty(o.SigningKey) || Encoding.UTF8.GetByteCount(o.SigningKey) >= MinSigningKeyLength,
            $"WEBHOOK_OAUTH_SIGNING_KEY must be at least {MinSigningKeyLength} characters.")
        .Validate(o => o.TokenMinutes is >= 1 and <= 1440, "WEBHOOK_OAUTH_TOKEN_MINUTES must be from 1 to 1440.");
}
