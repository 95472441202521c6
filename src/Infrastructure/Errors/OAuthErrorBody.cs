using System.Text.Json.Serialization;

namespace IncodeSlices.Infrastructure.Errors;

/// <summary>The token endpoint's error shape (RFC 6749 section 5.2): <c>error</c> is one of OAuth's codes.</summary>
public sealed record OAuthErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorDescription = null);
