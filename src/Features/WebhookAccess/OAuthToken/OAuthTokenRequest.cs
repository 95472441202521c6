using System.Text;
using System.Text.Json.Serialization;
using FastEndpoints;
using MediatR;

namespace IncodeSlices.Features.WebhookAccess.OAuthToken;

/// <summary>
/// A client-credentials token request (RFC 6749 section 4.4), as <see cref="OAuthTokenBinder"/> read it:
/// the form's grant type, and the client's credentials from Basic authentication or the form.
/// The names are the form's, for the OpenAPI document; the body is never read as JSON.
/// </summary>
public sealed record OAuthTokenRequest : IRequest<OAuthTokenResponse>
{
    /// <summary>False for a body that is not an <c>application/x-www-form-urlencoded</c> form, or names a parameter twice.</summary>
    [HideFromDocs] public bool IsForm { get; init; }

    [JsonPropertyName("grant_type")] public string? GrantType { get; init; }

    [JsonPropertyName("client_id")] public string? ClientId { get; init; }

    [JsonPropertyName("client_secret")] public string? ClientSecret { get; init; }

    /// <summary>Where the request came from, for counting failed attempts.</summary>
    [HideFromDocs] public string ClientAddress { get; init; } = "";

    // a record prints every property; the client secret stays out of logs
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("GrantType = ").Append(GrantType);
        return true;
    }
}
