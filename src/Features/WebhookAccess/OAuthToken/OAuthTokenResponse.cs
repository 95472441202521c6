using System.Text.Json.Serialization;

namespace IncodeSlices.Features.WebhookAccess.OAuthToken;

/// <summary>RFC 6749 section 5.1, in its snake_case names.</summary>
public sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
