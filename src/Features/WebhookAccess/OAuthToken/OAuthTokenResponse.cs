using System.Text.Json.Serialization;
using IncodeSlices.Infrastructure.Errors;

namespace IncodeSlices.Features.WebhookAccess.OAuthToken;

/// <summary>RFC 6749 section 5.1, in its snake_case names.</summary>
public sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>A token, or the refusal the endpoint answers instead (after too many failures, with when to try again).</summary>
public sealed record OAuthTokenOutcome(OAuthTokenResponse? Token, ErrorAnswer? Refusal, string? Description = null, int RetryAfterSeconds = 0)
{
    public static OAuthTokenOutcome Issued(OAuthTokenResponse token) => new(token, null);

    public static OAuthTokenOutcome Refused(ErrorAnswer refusal) => new(null, refusal);
}
